/** What a configured provider runs with: its transport, the clock, the log. */
import type { DiscoveryLog } from "./discovery.js";
import type { KeysLog } from "./id-token-keys.js";
import type { Transport } from "./transport.js";

/** What providers log (a pino logger fits). Never a token, code, verifier or secret. */
export type ProviderLog = DiscoveryLog & KeysLog;

/** The shared runtime of one provider. */
export interface ProviderRuntime {
  transport: Transport;
  /** Milliseconds since the epoch. */
  now: () => number;
  log: ProviderLog | undefined;
}
