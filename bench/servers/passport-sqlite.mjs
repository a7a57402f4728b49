// passport-github2 as passport.mjs sets it up, doing the durable work Gatehouse does: express-session
// keeps its sessions in SQLite (better-sqlite3, WAL, synchronous=NORMAL as Gatehouse opens its file),
// and the verify callback upserts the user and its access token (stored as it comes: no sealing).
// Not a library's own set-up: a peer given the same writes, to tell the database's share from the rest.
import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import express from "express";
import session from "express-session";
import passport from "passport";
import { Strategy as GitHubStrategy } from "passport-github2";
import { env, serve } from "./child.mjs";

/** express-session's store on one SQLite table, one prepared statement per operation. */
class SqliteStore extends session.Store {
  constructor(db) {
    super();
    db.exec("create table if not exists sessions (sid text primary key, sess text not null, expires integer not null)");
    this.find = db.prepare("select sess from sessions where sid = ? and expires > ?").pluck();
    this.save = db.prepare("insert into sessions (sid, sess, expires) values (?, ?, ?) on conflict (sid) do update set sess = excluded.sess, expires = excluded.expires");
    this.remove = db.prepare("delete from sessions where sid = ?");
  }
  get(sid, done) {
    const sess = this.find.get(sid, Date.now());
    done(null, sess === undefined ? null : JSON.parse(sess));
  }
  set(sid, sess, done) {
    this.save.run(sid, JSON.stringify(sess), sess.cookie?.expires ? new Date(sess.cookie.expires).getTime() : Date.now() + 86_400_000);
    done?.(null);
  }
  destroy(sid, done) {
    this.remove.run(sid);
    done?.(null);
  }
}

await serve((url) => {
  const db = new Database(env.database.replace(/^sqlite:/, ""));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(`create table if not exists users (id integer primary key, github_id integer not null unique, login text not null,
    name text, email text, access_token text, last_sign_in_at integer not null)`);
  const upsert = db.prepare(`insert into users (github_id, login, name, email, access_token, last_sign_in_at) values (?, ?, ?, ?, ?, ?)
    on conflict (github_id) do update set login = excluded.login, name = excluded.name, email = excluded.email,
    access_token = excluded.access_token, last_sign_in_at = excluded.last_sign_in_at returning id`).pluck();
  passport.use(new GitHubStrategy({
    clientID: env.clientId, clientSecret: env.clientSecret, callbackURL: `${url}/auth/github/callback`,
    authorizationURL: `${env.github}/login/oauth/authorize`, tokenURL: `${env.github}/login/oauth/access_token`,
    userProfileURL: `${env.github}/user`, userEmailURL: `${env.github}/user/emails`,
    scope: ["read:user", "user:email"], state: true, pkce: true,
  }, (accessToken, _refreshToken, profile, done) => {
    const id = upsert.get(Number(profile.id), profile.username, profile.displayName ?? null, profile.emails?.[0]?.value ?? null, accessToken, Date.now());
    done(null, { id, username: profile.username });
  }));
  passport.serializeUser((user, done) => done(null, user));
  passport.deserializeUser((user, done) => done(null, user));
  const app = express();
  app.use(session({ store: new SqliteStore(db), secret: randomBytes(32).toString("hex"), resave: false, saveUninitialized: false, cookie: { httpOnly: true, sameSite: "lax" } }));
  app.use(passport.session());
  app.get("/auth/github", passport.authenticate("github"));
  app.get("/auth/github/callback", passport.authenticate("github", { failureRedirect: "/failed" }), (_req, res) => res.redirect("/done"));
  return app;
});
