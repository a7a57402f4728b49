/**
 * `gatehouse/fastify`: Gatehouse in a Fastify 5 app (an `onRequest` hook that answers the
 * requests Gatehouse owns before Fastify reads their body) and `requireUser(gatehouse, rule)` as
 * a `preHandler`, setting `request.user`. Typed structurally: no dependency on Fastify.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Gatehouse } from "../server/gatehouse.js";
import { asGatehouseUser, guardDecision } from "../server/guard.js";
import type { AccessRule, GuardOptions } from "../server/guard.js";
import type { SessionInfo, User } from "../users/index.js";
import { toNodeHandler } from "./node.js";

export type { GuardOptions } from "../server/guard.js";

/** The parts of a Fastify request the hooks use. */
export interface FastifyRequestLike {
  raw: IncomingMessage;
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
}

/**
 * What `requireUser` sets on the request (`U`: what `load` returns). Declare it on Fastify's
 * request: `declare module "fastify" { interface FastifyRequest extends Partial<GatehouseRequest> {} }`.
 */
export interface GatehouseRequest<U = User> {
  user: U;
  gatehouseSession: SessionInfo;
}

/** The parts of a Fastify reply the hooks use. */
export interface FastifyReplyLike {
  raw: ServerResponse;
  hijack(): void;
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  redirect(url: string, code?: number): FastifyReplyLike;
  send(payload?: unknown): FastifyReplyLike;
}

/**
 * An `onRequest` hook: Gatehouse answers its own routes (the reply is hijacked), Fastify the rest.
 *
 * @example
 * const app = Fastify();
 * app.addHook("onRequest", gatehouseHook(gatehouse));
 */
export function gatehouseHook(gatehouse: Gatehouse): (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<void> {
  const handler = toNodeHandler(gatehouse);
  return async (request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    if (!gatehouse.owns(request.method, path)) return;
    reply.hijack();
    await new Promise<void>((resolve) => {
      request.raw.url = request.url;
      reply.raw.once("close", resolve);
      handler(request.raw, reply.raw);
    });
  };
}

/**
 * A `preHandler`: passes signed-in users the rule allows; otherwise a redirect to sign in (page
 * requests), 401 problem+json (API requests) or 403.
 *
 * @example
 * app.get("/me", { preHandler: requireUser(gatehouse) }, async (request) => ({ username: request.user?.username }));
 */
export function requireUser(gatehouse: Gatehouse, rule?: AccessRule): (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<void>;
export function requireUser<U>(gatehouse: Gatehouse, rule: GuardOptions<U> & { load: NonNullable<GuardOptions<U>["load"]> }): ((request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<void>) & { readonly sets?: GatehouseRequest<U> };
export function requireUser(gatehouse: Gatehouse, rule: GuardOptions<unknown> = {}): (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<void> {
  const load = rule.load ?? asGatehouseUser;
  return async (request, reply) => {
    const d = await guardDecision(gatehouse, request.raw, request.method, request.headers.accept, request.url, rule, load);
    switch (d.kind) {
      case "allow":
        Object.assign(request, { user: d.user, gatehouseSession: d.session } satisfies GatehouseRequest<unknown>);
        return;
      case "redirect":
        reply.header("cache-control", "no-store").redirect(d.location, 303);
        return;
      case "problem":
        reply.code(d.status).header("content-type", "application/problem+json").header("cache-control", "no-store").send(JSON.stringify(d.body));
    }
  };
}
