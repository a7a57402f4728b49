/**
 * A real nginx in front of Gatehouse and an app that knows nothing of sign-in, configured with the
 * README's nginx config (only the ports and the temp paths changed): anonymous visitors are sent
 * to sign in; after a GitHub sign-in through the emulator the app sees the user's headers; the
 * admin-only location refuses a non-admin; a forged `X-Gatehouse-User` never reaches the app.
 * Without nginx: fails when CI=true, skips with the reason otherwise.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import type { IncomingHttpHeaders, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { startGitHubEmulator } from "../../src/emulator/index.js";
import type { GitHubEmulatorHandle } from "../../src/emulator/index.js";
import { createGatehouse, createLogger } from "../../src/index.js";
import type { Gatehouse } from "../../src/index.js";
import { toNodeHandler } from "../../src/adapters/node.js";
import { approve, Browser, CLIENT_ID, CLIENT_SECRET, TEST_SCRYPT, USERS } from "../server/harness.js";
import type { Stack } from "../server/harness.js";

const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => existsSync(p));
const skip = NGINX === undefined ? "nginx is not installed (apt-get install nginx-light)" : false;
if (skip && process.env["CI"] === "true") throw new Error(`CI=true but ${skip}`);

/** The README's nginx config, under "### Behind nginx". */
function readmeConfig(): string {
  const readme = readFileSync(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8");
  const m = /### Behind nginx[\s\S]*?```nginx\n([\s\S]*?)```/.exec(readme);
  assert.ok(m?.[1], "README.md has the nginx config under ### Behind nginx");
  return m[1];
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function listening(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as AddressInfo).port;
}

describe("Gatehouse behind a real nginx (auth_request)", { skip }, () => {
  let dir: string;
  let nginx: ChildProcess | undefined;
  let nginxLog = "";
  let gh: GitHubEmulatorHandle;
  let gatehouse: Gatehouse;
  let gatehouseServer: Server;
  let appServer: Server;
  let url: string;
  /** What the app received, per path. */
  const seen = new Map<string, IncomingHttpHeaders>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "gatehouse-nginx-"));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    appServer = createServer((req, res) => {
      seen.set(req.url ?? "", req.headers);
      res.writeHead(200, { "content-type": "text/plain" }).end(`app saw ${req.headers["x-gatehouse-user"] ?? "nobody"}`);
    });
    const appPort = await listening(appServer);
    gh = await startGitHubEmulator({
      apps: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, kind: "oauth-app", callbackUrls: [`${url}/auth/github/callback`] }],
      users: USERS,
    });
    gatehouse = await createGatehouse({
      publicUrl: url,
      database: `sqlite:${join(dir, "g.db")}`,
      secret: randomBytes(32),
      github: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, webUrl: gh.url, apiUrl: gh.url },
      logger: createLogger({ level: "silent" }),
      passwordParams: TEST_SCRYPT,
      policy: { admins: ["carol"] },
      trustProxy: 1,
    });
    gatehouseServer = createServer(toNodeHandler(gatehouse));
    const gatehousePort = await listening(gatehouseServer);

    const temp = join(dir, "temp");
    mkdirSync(temp);
    const config = readmeConfig()
      .replace("server 127.0.0.1:3000;", `server 127.0.0.1:${gatehousePort};`)
      .replace("server 127.0.0.1:8080;", `server 127.0.0.1:${appPort};`)
      .replace("listen 80;", `listen 127.0.0.1:${port};`)
      .replace("http {", `http {\n  access_log off;\n${["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `  ${t}_temp_path ${join(temp, t)};`).join("\n")}`);
    const top = [
      "daemon off;", "master_process off;", `pid ${join(dir, "nginx.pid")};`, `error_log ${join(dir, "error.log")} warn;`,
      // As root, nginx would run its workers as `nobody`, who cannot use the temp folder.
      ...(process.getuid?.() === 0 ? ["user root;"] : []),
    ].join("\n");
    writeFileSync(join(dir, "nginx.conf"), `${top}\n${config}`);
    const check = spawnSync(NGINX!, ["-t", "-p", dir, "-c", join(dir, "nginx.conf")], { encoding: "utf8" });
    assert.equal(check.status, 0, `nginx -t: ${check.stderr}`);
    nginx = spawn(NGINX!, ["-p", dir, "-c", join(dir, "nginx.conf")], { stdio: ["ignore", "pipe", "pipe"] });
    nginx.stderr?.on("data", (d: Buffer) => { nginxLog += d.toString(); });
    for (let i = 0; ; i++) {
      try {
        await fetch(`${url}/login`);
        break;
      } catch (err) {
        if (i > 100) throw new Error(`nginx did not start: ${nginxLog}`, { cause: err });
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  });

  after(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx?.once("exit", r));
      nginx.kill("SIGQUIT");
      await exited;
    }
    await gatehouse?.close();
    await gh?.close();
    for (const s of [gatehouseServer, appServer]) {
      s?.closeAllConnections();
      await new Promise((r) => s?.close(r));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /** Signs in through nginx: the browser follows nginx's redirect to sign in, then GitHub's. */
  async function signIn(login: string, path: string): Promise<Browser> {
    const browser = new Browser(url);
    const first = await browser.fetch(path);
    assert.equal(first.status, 302, `nginx sends an anonymous visitor of ${path} to sign in`);
    const loginPage = new URL(first.headers.get("location") ?? "");
    assert.equal(`${loginPage.origin}${loginPage.pathname}`, `${url}/login`);
    assert.equal(loginPage.searchParams.get("return_to"), path);
    const start = await browser.fetch(`/auth/github?${new URLSearchParams({ return_to: loginPage.searchParams.get("return_to") ?? "" })}`);
    const callback = await approve({ gh } as Stack, new URL(start.headers.get("location") ?? ""), login);
    const back = await browser.fetch(callback.toString());
    assert.equal(back.headers.get("location"), path, "after sign-in, back where the visitor was going");
    return browser;
  }

  test("anonymous: redirected to sign in, with where they were going; the app is never reached", async () => {
    // A browser's Accept travels into the check's subrequest: the answer must stay the proxy's, not a page.
    const res = await fetch(`${url}/reports/q3?x=1&y=2`, { redirect: "manual", headers: { accept: "text/html,application/xhtml+xml" } });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("location"), `${url}/login?return_to=${encodeURIComponent("/reports/q3?x=1&y=2")}`);
    assert.equal(seen.has("/reports/q3?x=1&y=2"), false);
  });

  test("after a GitHub sign-in through the emulator, the app sees the user's headers", async () => {
    const browser = await signIn("alice", "/reports/q3");
    const res = await browser.fetch("/reports/q3");
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "app saw alice");
    const headers = seen.get("/reports/q3");
    const alice = await gatehouse.users.getByUsername("alice");
    assert.deepEqual(
      [headers?.["x-gatehouse-user"], headers?.["x-gatehouse-user-id"], headers?.["x-gatehouse-email"], headers?.["x-gatehouse-role"], headers?.["x-gatehouse-github-login"]],
      ["alice", String(alice.id), "alice@example.com", "user", "alice"],
    );
  });

  test("the role=admin location refuses a non-admin with 403 and lets an admin through", async () => {
    const alice = await signIn("alice", "/reports/a");
    assert.equal((await alice.fetch("/ops/panel")).status, 403);
    assert.equal(seen.has("/ops/panel"), false);
    const carol = await signIn("carol", "/ops/panel");
    const res = await carol.fetch("/ops/panel");
    assert.equal(res.status, 200);
    assert.equal(seen.get("/ops/panel")?.["x-gatehouse-role"], "admin");
  });

  test("a forged X-Gatehouse-User sent by the client never reaches the app", async () => {
    const alice = await signIn("alice", "/who");
    const forged = { "x-gatehouse-user": "carol", "x-gatehouse-role": "admin", "x-gatehouse-user-id": "1" };
    const res = await alice.fetch("/who", { headers: forged });
    assert.equal(await res.text(), "app saw alice");
    assert.equal(seen.get("/who")?.["x-gatehouse-role"], "user");
    assert.equal(seen.get("/who")?.["x-gatehouse-user-id"], String((await gatehouse.users.getByUsername("alice")).id));
    const anonymous = await fetch(`${url}/who-anon`, { headers: forged, redirect: "manual" });
    assert.equal(anonymous.status, 302, "a forged header does not sign anyone in");
    assert.equal(seen.has("/who-anon"), false);
  });
});
