/**
 * Runtime validation of options, seeds and control-API bodies (one schema for both, so the
 * in-process controls and `/_emulator/` accept exactly the same shapes).
 */
import { z } from "zod";
import { EmulatorError } from "./errors.js";

const login = z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/, "a GitHub login: 1-39 letters, digits or single inner hyphens");
const slug = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, "a slug");

const emailSchema = z.strictObject({
  email: z.string().regex(/^[^\s@]+@[^\s@]+$/, "an email address"),
  primary: z.boolean(),
  verified: z.boolean(),
  visibility: z.enum(["public", "private"]).nullable(),
});
export const emailsSchema = z.array(emailSchema).refine((list) => list.filter((e) => e.primary).length <= 1, "at most one primary email");

export const orgMembershipSchema = z.strictObject({
  role: z.enum(["admin", "member", "billing_manager"]).optional(),
  state: z.enum(["active", "pending"]).optional(),
  public: z.boolean().optional(),
});
export const teamMembershipSchema = z.strictObject({
  role: z.enum(["member", "maintainer"]).optional(),
  state: z.enum(["active", "pending"]).optional(),
});

export const userSchema = z.strictObject({
  login,
  id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  name: z.string().nullable().optional(),
  emails: emailsSchema.optional(),
  orgs: z.array(orgMembershipSchema.extend({ login })).optional(),
  teams: z.array(teamMembershipSchema.extend({ org: login, slug })).optional(),
  siteAdmin: z.boolean().optional(),
  company: z.string().nullable().optional(),
  location: z.string().nullable().optional(),
  bio: z.string().nullable().optional(),
});

export const profileSchema = z.strictObject({
  name: z.string().nullable().optional(),
  company: z.string().nullable().optional(),
  location: z.string().nullable().optional(),
  bio: z.string().nullable().optional(),
  newAvatar: z.literal(true).optional(),
});

const callbackUrl = z.string().refine((v) => URL.canParse(v) && !v.includes("#"), "an absolute URL without a fragment");

const appSchema = z.strictObject({
  clientId: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, "letters, digits, '.', '_' or '-'"),
  clientSecret: z.string().min(1),
  name: z.string().min(1).max(100).optional(),
  kind: z.enum(["oauth-app", "github-app"]).optional(),
  callbackUrls: z.array(callbackUrl).min(1).max(10),
  deviceFlow: z.boolean().optional(),
  expiringTokens: z.boolean().optional(),
  suspended: z.boolean().optional(),
});

export const optionsSchema = z.strictObject({
  port: z.number().int().min(0).max(65535).optional(),
  apps: z.array(appSchema).min(1).optional(),
  users: z.array(userSchema).optional(),
  autoApprove: login.optional(),
  now: z.custom<() => number>((v) => typeof v === "function", "a function returning epoch milliseconds").optional(),
  deviceInterval: z.number().min(0).max(3600).optional(),
});

export const faultSchema = z.union([
  z.strictObject({ status: z.union([z.literal(500), z.literal(502), z.literal(503)]), times: z.number().int().positive().optional() }),
  z.strictObject({ delayMs: z.number().int().min(0).max(600_000), times: z.number().int().positive().optional() }),
  z.strictObject({
    rateLimit: z.enum(["primary", "secondary"]),
    status: z.union([z.literal(403), z.literal(429)]).optional(),
    retryAfter: z.number().int().min(0).optional(),
    times: z.number().int().positive().optional(),
  }),
  z.strictObject({ malformed: z.literal(true), times: z.number().int().positive().optional() }),
]);

/** Validates `value`, or throws `EmulatorError` (`invalid_option`) naming the field and the problem. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${what}.${issue.path.join(".")}` : what;
  throw new EmulatorError("invalid_option", `${where}: ${issue?.message ?? "invalid"}`, { cause: result.error });
}
