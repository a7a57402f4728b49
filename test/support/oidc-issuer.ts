/**
 * A real OpenID Connect issuer for tests: panva's oidc-provider (OpenID-certified) in-process on
 * 127.0.0.1, port 0, with the clients and accounts a test gives it. Logins complete without a
 * human: the interaction URL takes the account to sign in as (`authorizeAs`).
 *
 * @example
 * const issuer = await startOidcIssuer({ clients: [{ clientId: "app", clientSecret: "s", redirectUris: [CB] }], accounts: [{ sub: "u1" }] });
 * const callback = await issuer.authorizeAs(auth.url, "u1"); // the redirect to CB, not followed
 * await issuer.close();
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";
import { CookieJar } from "./cookie-jar.js";

export interface TestClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** Default `client_secret_basic`. */
  tokenEndpointAuthMethod?: "client_secret_basic" | "client_secret_post";
}

export interface TestAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
  picture?: string;
}

export interface OidcIssuer {
  /** The issuer identifier, `http://127.0.0.1:PORT` (no trailing slash). */
  url: string;
  /** Path of every request the issuer received, in order (e.g. to count JWKS fetches). */
  requests: string[];
  /** How many times the JWKS was fetched. */
  jwksFetches(): number;
  /**
   * Follows an authorization URL as a browser would, signing in as `accountId` (or, with `deny`,
   * refusing: the callback then carries `error=access_denied`); returns the callback URL.
   */
  authorizeAs(authUrl: string | URL, accountId: string, options?: { deny?: boolean }): Promise<URL>;
  /** A new signing key with a new `kid` signs from now on; the JWKS serves it and the old one. */
  rotateKeys(): void;
  /** The current signing key's `kid`. */
  currentKid(): string;
  close(): Promise<void>;
}

type PrivateJwk = Record<string, unknown> & { kid: string };

function newSigningKey(): PrivateJwk {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { ...privateKey.export({ format: "jwk" }), kid: randomBytes(6).toString("hex"), alg: "RS256", use: "sig" };
}

const INTERACTION_PREFIX = "/interaction/";

/**
 * Starts the issuer. Dev interactions stay off: only `authorizeAs` (through the interaction URL
 * with `?login_as=`) completes a login, with consent to every requested OIDC scope. Test-only:
 * with `browserAccount`, an interaction URL visited without `login_as` (a real browser following
 * the redirects; the issuer has no login page) signs in as that account.
 */
export async function startOidcIssuer(options: { clients: TestClient[]; accounts: TestAccount[]; browserAccount?: string }): Promise<OidcIssuer> {
  const accounts = new Map(options.accounts.map((a) => [a.sub, a]));
  const cookieKeys = [randomBytes(16).toString("hex")];
  const requests: string[] = [];
  let keys: PrivateJwk[] = [newSigningKey()];
  let provider: Provider | undefined;

  const server = createServer((req, res) => {
    requests.push((req.url ?? "/").split("?")[0] ?? "/");
    if (provider === undefined) {
      res.statusCode = 503;
      res.end();
      return;
    }
    if (req.url?.startsWith(INTERACTION_PREFIX)) {
      interact(provider, req, res).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(err instanceof Error ? err.message : "interaction failed");
      });
      return;
    }
    provider.callback()(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function interact(p: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await p.interactionDetails(req, res);
    const query = new URL(req.url ?? "/", url).searchParams;
    if (query.get("deny") === "1") {
      await p.interactionFinished(req, res, { error: "access_denied", error_description: "the test user said no" }, { mergeWithLastSubmission: false });
      return;
    }
    const accountId = query.get("login_as") ?? options.browserAccount ?? "";
    if (!accounts.has(accountId)) {
      res.statusCode = 400;
      res.end(`no test account "${accountId}"`);
      return;
    }
    const grant = new p.Grant({ accountId, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope ?? "openid");
    const grantId = await grant.save();
    await p.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
  }

  // A Provider's keystore is fixed at construction: a rotation builds a new one on the same issuer
  // (the in-memory adapter's storage is shared by all instances, so grants and sessions survive).
  function build(): Provider {
    const p = new Provider(url, {
      clients: options.clients.map((c) => ({
        client_id: c.clientId,
        client_secret: c.clientSecret,
        redirect_uris: c.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: c.tokenEndpointAuthMethod ?? "client_secret_basic",
      })),
      findAccount: (_ctx: unknown, id: string) => {
        const account = accounts.get(id);
        return account === undefined ? undefined : { accountId: id, claims: () => ({ ...account }) };
      },
      claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "preferred_username", "picture"] },
      cookies: { keys: cookieKeys },
      jwks: { keys },
      features: { devInteractions: { enabled: false } },
      pkce: { required: () => true },
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${INTERACTION_PREFIX}${interaction.uid}` },
      ttl: { AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, Interaction: 600, Session: 3600, Grant: 3600 },
    });
    return p;
  }
  provider = build();

  return {
    url,
    requests,
    jwksFetches: () => requests.filter((p) => p === "/jwks").length,
    async authorizeAs(authUrl, accountId, authorizeOptions = {}) {
      const jar = new CookieJar();
      let next = new URL(authUrl);
      for (let hop = 0; hop < 10; hop++) {
        if (next.origin !== url) return next;
        if (next.pathname.startsWith(INTERACTION_PREFIX)) {
          next.searchParams.set("login_as", accountId);
          if (authorizeOptions.deny === true) next.searchParams.set("deny", "1");
        }
        const cookie = jar.header();
        const res = await fetch(next, { redirect: "manual", headers: cookie === undefined ? {} : { cookie } });
        jar.store(res);
        const location = res.headers.get("location");
        if (res.status < 300 || res.status > 399 || location === null) {
          throw new Error(`the issuer answered ${res.status} at ${next.pathname}: ${(await res.text()).slice(0, 300)}`);
        }
        await res.body?.cancel();
        next = new URL(location, next);
      }
      throw new Error("too many redirects at the issuer");
    },
    rotateKeys() {
      keys = [newSigningKey(), ...keys];
      provider = build();
    },
    currentKid: () => keys[0]?.kid ?? "",
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    }),
  };
}
