/**
 * `gatehouse/express`: the mount and `requireUser(gatehouse, rule)` for Express 5 routes (sets
 * `req.user` and `req.gatehouseSession`). Express calls connect-style middleware, so these are
 * `gatehouse/node`'s; typed structurally, with no dependency on Express's own types.
 */
export { requireUser, toNodeHandler } from "./node.js";
export type { ExpressGuard, GuardedRequest } from "./node.js";
export type { AccessRule, GuardOptions } from "../server/guard.js";
