/** Plain-text tables for terminal output: left-aligned columns, cells on one line, no escapes. */
import { oneLine } from "./cli-error.js";

/**
 * Formats rows under headers, each column as wide as its widest cell. Cells are made one line
 * without control characters (a name synced from GitHub must not move the cursor or recolour the terminal).
 *
 * @example
 * console.log(formatTable(["USERNAME", "ROLE"], [["alice", "admin"]]));
 * // USERNAME  ROLE
 * // alice     admin
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const clean = rows.map((row) => headers.map((_, i) => oneLine(row[i] ?? "")));
  const widths = headers.map((h, i) => Math.max(h.length, ...clean.map((row) => row[i]?.length ?? 0)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ").trimEnd();
  return [line(headers), ...clean.map(line)].join("\n");
}
