// passport-github2 on Express 5 with express-session (memory store): state and PKCE, as its docs set it up.
import { randomBytes } from "node:crypto";
import express from "express";
import session from "express-session";
import passport from "passport";
import { Strategy as GitHubStrategy } from "passport-github2";
import { env, serve } from "./child.mjs";

await serve((url) => {
  passport.use(new GitHubStrategy({
    clientID: env.clientId, clientSecret: env.clientSecret, callbackURL: `${url}/auth/github/callback`,
    authorizationURL: `${env.github}/login/oauth/authorize`, tokenURL: `${env.github}/login/oauth/access_token`,
    userProfileURL: `${env.github}/user`, userEmailURL: `${env.github}/user/emails`,
    scope: ["read:user", "user:email"], state: true, pkce: true,
  }, (_accessToken, _refreshToken, profile, done) => done(null, { id: profile.id, username: profile.username })));
  passport.serializeUser((user, done) => done(null, user));
  passport.deserializeUser((user, done) => done(null, user));
  const app = express();
  app.use(session({ secret: randomBytes(32).toString("hex"), resave: false, saveUninitialized: false, cookie: { httpOnly: true, sameSite: "lax" } }));
  app.use(passport.session());
  app.get("/auth/github", passport.authenticate("github"));
  app.get("/auth/github/callback", passport.authenticate("github", { failureRedirect: "/failed" }), (_req, res) => res.redirect("/done"));
  return app;
});
