/**
 * The account page's inputs for app-defined user fields the user may set themselves (`set_by:
 * "self"`), and the reading of them back from the form post. Admin-only fields are not offered.
 */
import { UsersError } from "../../users/index.js";
import type { UserFieldDefinition, UserFieldValue } from "../../users/index.js";
import { html } from "./html.js";
import type { SafeHtml } from "./html.js";

/** The form control's name of a field: prefixed so it cannot collide with the profile's own inputs. */
const inputName = (def: UserFieldDefinition) => `field_${def.name}`;

/** The fields a user may edit on their own page. */
export function selfFields(defs: readonly UserFieldDefinition[]): UserFieldDefinition[] {
  return defs.filter((d) => d.setBy === "self");
}

/** A value as the form shows it: lists one item per line, JSON as JSON, nothing for null. */
export function fieldText(def: UserFieldDefinition, value: UserFieldValue | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (def.type === "string[]" && Array.isArray(value)) return value.join("\n");
  if (def.type === "json") return JSON.stringify(value);
  return String(value);
}

/**
 * The inputs (values escaped by `html`), from the stored values or, after an error, the text typed.
 *
 * @example
 * fieldInputs(selfFields(users.userFields), user.fields, undefined);
 */
export function fieldInputs(defs: readonly UserFieldDefinition[], values: Record<string, UserFieldValue | null>, typed: Record<string, string> | undefined): SafeHtml[] {
  return selfFields(defs).map((def) => {
    const id = inputName(def);
    const v = typed?.[def.name] ?? fieldText(def, values[def.name]);
    switch (def.type) {
      case "boolean":
        return html`<label for="${id}">${def.name}</label><select id="${id}" name="${id}"><option value="true"${v === "true" && html` selected`}>Yes</option><option value="false"${v !== "true" && html` selected`}>No</option></select>`;
      case "number":
        return html`<label for="${id}">${def.name}</label><input id="${id}" name="${id}" inputmode="decimal" value="${v}">`;
      case "string[]":
        return html`<label for="${id}">${def.name} <span class="muted small">(one per line)</span></label><textarea id="${id}" name="${id}" rows="3">${v}</textarea>`;
      case "json":
        return html`<label for="${id}">${def.name} <span class="muted small">(JSON)</span></label><textarea id="${id}" name="${id}" rows="3">${v}</textarea>`;
      case "string":
        return html`<label for="${id}">${def.name}</label><input id="${id}" name="${id}" value="${v}">`;
    }
  });
}

/** The text typed into the self fields of a form post (to show again after an error). */
export function typedFields(form: URLSearchParams, defs: readonly UserFieldDefinition[]): Record<string, string> {
  const typed: Record<string, string> = {};
  for (const def of selfFields(defs)) {
    const raw = form.get(inputName(def));
    if (raw !== null) typed[def.name] = raw;
  }
  return typed;
}

/**
 * Reads the self fields present in a form post into values for the domain, which checks them
 * again. An empty input clears the field (its default). A number or JSON that does not parse is
 * an `invalid_input` naming `fields.NAME`.
 */
export function readFieldForm(form: URLSearchParams, defs: readonly UserFieldDefinition[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const def of selfFields(defs)) {
    const raw = form.get(inputName(def));
    if (raw === null) continue;
    const text = raw.trim();
    const field = `fields.${def.name}`;
    if (text === "" && def.type !== "string[]") {
      values[def.name] = null;
      continue;
    }
    switch (def.type) {
      case "string":
        values[def.name] = raw;
        break;
      case "boolean":
        values[def.name] = text === "true";
        break;
      case "number":
        if (!/^-?\d+(\.\d+)?$/.test(text)) throw new UsersError("invalid_input", `${field} must be a number`, { field });
        values[def.name] = Number(text);
        break;
      case "string[]":
        values[def.name] = text === "" ? null : raw.split(/\r?\n/).map((s) => s.trim()).filter((s) => s !== "");
        break;
      case "json":
        try {
          values[def.name] = JSON.parse(text);
        } catch {
          throw new UsersError("invalid_input", `${field} must be valid JSON`, { field });
        }
        break;
    }
  }
  return values;
}
