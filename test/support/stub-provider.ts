/**
 * A stand-in for a generic sign-in provider until src/providers' real one (on oauth4webapi) is
 * merged: a tiny authorization server on 127.0.0.1:0 (`/authorize` redirects back with a code and
 * the state, `/token` checks PKCE S256 and spends the code once, `/userinfo` serves the identity
 * and the nonce the authorization carried), wrapped by a small `SignInProvider`. It speaks HTTP for
 * real so the service's flows run end to end; it is no OIDC implementation (no ID token, no JWKS).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createHash, randomBytes } from "node:crypto";
import { ProviderError } from "../../src/providers/index.js";
import type { ProviderIdentity, ProviderSignup, ProviderTransaction, SignInProvider } from "../../src/providers/index.js";

/** Who the stub signs in at its next authorization (as its `/authorize` had a signed-in user). */
export interface StubUser {
  subject: string;
  username?: string | null;
  name?: string | null;
  /** A verified address (the stub's users' addresses all are). */
  email?: string | null;
}

/** A running stub authorization server. */
export interface StubProviderServer {
  url: string;
  /** The user `/authorize` signs in next; `null` answers `error=access_denied`. */
  signInAs(user: StubUser | null): void;
  /** Until cleared (`null`): `/token` answers 500, or `/userinfo` carries another nonce than the authorization's. */
  fault(kind: "token_500" | "wrong_nonce" | null): void;
  /** A `SignInProvider` for this server under `name`. */
  provider(name: string, options?: { displayName?: string; signup?: ProviderSignup }): SignInProvider;
  close(): Promise<void>;
}

interface Grant {
  user: StubUser;
  redirectUri: string;
  challenge: string;
  nonce: string | null;
}

const s256 = (verifier: string) => createHash("sha256").update(verifier).digest("base64url");

/**
 * Starts the stub server.
 *
 * @example
 * const idp = await startStubProvider();
 * idp.signInAs({ subject: "42", username: "jane", email: "jane@example.com" });
 * const gatehouse = await createGatehouse({ ..., providers: [idp.provider("corp")] });
 */
export async function startStubProvider(): Promise<StubProviderServer> {
  let current: StubUser | null = null;
  let fault: "token_500" | "wrong_nonce" | null = null;
  const codes = new Map<string, Grant>();
  const tokens = new Map<string, Grant>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const json = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.method === "GET" && url.pathname === "/authorize") {
      const redirect = new URL(url.searchParams.get("redirect_uri") ?? "");
      redirect.searchParams.set("state", url.searchParams.get("state") ?? "");
      redirect.searchParams.set("iss", base);
      if (current === null) {
        redirect.searchParams.set("error", "access_denied");
      } else {
        const code = randomBytes(16).toString("base64url");
        codes.set(code, { user: current, redirectUri: url.searchParams.get("redirect_uri") ?? "", challenge: url.searchParams.get("code_challenge") ?? "", nonce: url.searchParams.get("nonce") });
        redirect.searchParams.set("code", code);
      }
      res.writeHead(302, { location: redirect.toString() }).end();
      return;
    }
    if (req.method === "POST" && url.pathname === "/token") {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        if (fault === "token_500") {
          json(500, { error: "server_error" });
          return;
        }
        const form = new URLSearchParams(body);
        const code = form.get("code") ?? "";
        const grant = codes.get(code);
        codes.delete(code);
        if (!grant || grant.redirectUri !== form.get("redirect_uri") || grant.challenge !== s256(form.get("code_verifier") ?? "")) {
          json(400, { error: "invalid_grant" });
          return;
        }
        const token = randomBytes(16).toString("base64url");
        tokens.set(token, grant);
        json(200, { access_token: token, token_type: "Bearer" });
      });
      return;
    }
    if (req.method === "GET" && url.pathname === "/userinfo") {
      const grant = tokens.get((req.headers.authorization ?? "").replace(/^Bearer /, ""));
      if (!grant) {
        json(401, { error: "invalid_token" });
        return;
      }
      const u = grant.user;
      json(200, { sub: u.subject, preferred_username: u.username ?? null, name: u.name ?? null, email: u.email ?? null, email_verified: true, nonce: fault === "wrong_nonce" ? "another-nonce" : grant.nonce });
      return;
    }
    json(404, { error: "not_found" });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = (name: string, options: { displayName?: string; signup?: ProviderSignup } = {}): SignInProvider => ({
    settings: {
      kind: "oauth2", name, displayName: options.displayName ?? `Stub ${name}`, clientId: "stub-client", clientSecret: "stub-secret",
      scopes: ["openid"], signup: options.signup, authorizeUrl: `${base}/authorize`, tokenUrl: `${base}/token`, userinfoUrl: `${base}/userinfo`,
      issuer: base,
      mapping: { id: "sub", username: "preferred_username", name: "name", email: "email", email_verified: "email_verified", avatar: "picture" },
    },
    async createAuthorization(redirectUri) {
      const state = randomBytes(16).toString("base64url");
      const codeVerifier = randomBytes(32).toString("base64url");
      const nonce = randomBytes(16).toString("base64url");
      const url = new URL(`${base}/authorize`);
      for (const [k, v] of Object.entries({ client_id: "stub-client", redirect_uri: redirectUri, state, code_challenge: s256(codeVerifier), code_challenge_method: "S256", nonce })) url.searchParams.set(k, v);
      return { url, state, codeVerifier, nonce };
    },
    async complete(params: URLSearchParams, tx: ProviderTransaction): Promise<ProviderIdentity> {
      if (params.get("state") !== tx.state) throw new ProviderError("state_mismatch", "state mismatch");
      const error = params.get("error");
      if (error === "access_denied") throw new ProviderError("access_denied", "denied");
      if (error !== null) throw new ProviderError("oauth_error", "provider error", { detail: error });
      if (params.has("iss") && params.get("iss") !== base) throw new ProviderError("issuer_mismatch", "iss mismatch");
      const code = params.get("code");
      if (code === null) throw new ProviderError("missing_code", "no code");
      let tokenRes: Response;
      try {
        tokenRes = await fetch(`${base}/token`, { method: "POST", body: new URLSearchParams({ code, code_verifier: tx.codeVerifier, redirect_uri: tx.redirectUri }) });
      } catch (err) {
        throw new ProviderError("unavailable", "stub unreachable", { cause: err });
      }
      if (tokenRes.status === 400) throw new ProviderError("invalid_code", "invalid_grant");
      if (!tokenRes.ok) throw new ProviderError("invalid_response", `token endpoint answered ${tokenRes.status}`);
      const { access_token } = (await tokenRes.json()) as { access_token: string };
      const info = (await (await fetch(`${base}/userinfo`, { headers: { authorization: `Bearer ${access_token}` } })).json()) as Record<string, string | null>;
      // Stands in for the ID token's nonce check.
      if (info["nonce"] !== tx.nonce) throw new ProviderError("invalid_id_token", "nonce mismatch", { detail: "nonce" });
      return { subject: String(info["sub"]), username: info["preferred_username"] ?? null, name: info["name"] ?? null, email: info["email"] ?? null, avatarUrl: null };
    },
  });

  return {
    url: base,
    signInAs: (user) => void (current = user),
    fault: (kind) => void (fault = kind),
    provider,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
