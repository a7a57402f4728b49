/** What every part of the domain shares: the store, the clock, the secret box, a logger. */
import type { Store } from "../store/index.js";
import type { SecretBox } from "./secret-box.js";
import type { UserFieldDefinition } from "./user-fields.js";

/**
 * The logger the domain writes to: pino's `Logger` fits. The domain logs ids and codes, never
 * a token, code, verifier or password.
 */
export interface DomainLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Shared dependencies of the domain's parts. */
export interface DomainContext {
  store: Store;
  now: () => number;
  box: SecretBox;
  log: DomainLog;
  /** App-defined user fields (checked declarations). */
  userFields: readonly UserFieldDefinition[];
}

/** A logger that drops everything. */
export const silentLog: DomainLog = { info() {}, warn() {}, error() {} };
