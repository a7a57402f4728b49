/**
 * What `gatehouse.authenticate(request)` costs per call next to the bare indexed lookup it wraps
 * (`store.sessions.findLive`: the sessions ⋈ users query by token hash): the difference is
 * reading the cookie or Bearer header and shaping the result. Run by `npm run bench` (bench/run.ts).
 */
import type { Stack } from "../test/server/harness.js";
import { hashToken } from "../src/users/secrets.js";
import { measure, type Figures } from "./measure.js";

/** Three rows: the bare lookup, `authenticate` on a Web `Request` (cookie), on a Node-style request (Bearer). */
export async function benchAuthenticate(label: string, stack: Stack, token: string, iterations: number): Promise<Figures[]> {
  const hash = hashToken(token);
  const request = new Request(`${stack.url}/dashboard`, { headers: { cookie: `theme=dark; gatehouse_session=${token}` } });
  const incoming = { headers: { authorization: `Bearer ${token}`, accept: "application/json" } };
  return [
    await measure(`${label}: bare indexed lookup, store.sessions.findLive`, iterations, async () => {
      const now = Date.now();
      if (!(await stack.gatehouse.store.sessions.findLive(hash, { now, idleCutoff: 0 }))) throw new Error("not found");
    }),
    await measure(`${label}: gatehouse.authenticate(Request with cookie)`, iterations, async () => {
      if (!(await stack.gatehouse.authenticate(request))) throw new Error("not authenticated");
    }),
    await measure(`${label}: gatehouse.authenticate(IncomingMessage with Bearer)`, iterations, async () => {
      if (!(await stack.gatehouse.authenticate(incoming))) throw new Error("not authenticated");
    }),
  ];
}
