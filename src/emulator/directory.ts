/** The emulator's users and apps, in memory, with the controls that change them. */
import { EmulatorError } from "./errors.js";
import type {
  EmulatorAppKind,
  EmulatorAppSeed,
  EmulatorEmail,
  EmulatorOrgMembership,
  EmulatorProfileUpdate,
  EmulatorTeamMembership,
  EmulatorUserSeed,
} from "./types.js";

export interface OrgMembershipRecord {
  org: string;
  role: "admin" | "member" | "billing_manager";
  state: "active" | "pending";
  public: boolean;
}

export interface TeamMembershipRecord {
  org: string;
  slug: string;
  role: "member" | "maintainer";
  state: "active" | "pending";
}

export interface UserRecord {
  id: number;
  login: string;
  name: string | null;
  emails: EmulatorEmail[];
  /** Keyed by lower-case org login. */
  orgs: Map<string, OrgMembershipRecord>;
  /** Keyed by lower-case `org/slug`. */
  teams: Map<string, TeamMembershipRecord>;
  siteAdmin: boolean;
  company: string | null;
  location: string | null;
  bio: string | null;
  /** Bumped by each new avatar; 0 = the first one (no `?v=` in its URL). */
  avatarVersion: number;
  createdAt: number;
}

export interface AppRecord {
  clientId: string;
  clientSecret: string;
  name: string;
  kind: EmulatorAppKind;
  callbackUrls: string[];
  deviceFlow: boolean;
  expiringTokens: boolean;
  suspended: boolean;
}

const teamKey = (org: string, slug: string) => `${org.toLowerCase()}/${slug.toLowerCase()}`;

function orgRecord(org: string, m: EmulatorOrgMembership): OrgMembershipRecord {
  return { org, role: m.role ?? "member", state: m.state ?? "active", public: m.public ?? false };
}

function teamRecord(org: string, slug: string, m: EmulatorTeamMembership): TeamMembershipRecord {
  return { org, slug, role: m.role ?? "member", state: m.state ?? "active" };
}

/** Users by id and by login (case-insensitive, as on GitHub), and apps by client id. */
export class Directory {
  private readonly users = new Map<number, UserRecord>();
  private readonly byLogin = new Map<string, number>();
  private readonly apps = new Map<string, AppRecord>();
  /** Stable numeric ids for organisations, assigned on first sight. */
  private readonly orgIds = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  addApp(seed: EmulatorAppSeed): void {
    if (this.apps.has(seed.clientId)) throw new EmulatorError("invalid_option", `apps: client id '${seed.clientId}' is listed twice`);
    const kind = seed.kind ?? "oauth-app";
    this.apps.set(seed.clientId, {
      clientId: seed.clientId,
      clientSecret: seed.clientSecret,
      name: seed.name ?? seed.clientId,
      kind,
      callbackUrls: [...seed.callbackUrls],
      deviceFlow: seed.deviceFlow ?? true,
      expiringTokens: seed.expiringTokens ?? kind === "github-app",
      suspended: seed.suspended ?? false,
    });
  }

  app(clientId: string): AppRecord | undefined {
    return this.apps.get(clientId);
  }

  listApps(): AppRecord[] {
    return [...this.apps.values()];
  }

  addUser(seed: EmulatorUserSeed): void {
    if (this.users.has(seed.id)) throw new EmulatorError("duplicate_user", `a user with id ${seed.id} exists`);
    if (this.byLogin.has(seed.login.toLowerCase())) throw new EmulatorError("duplicate_user", `the login '${seed.login}' is taken`);
    const user: UserRecord = {
      id: seed.id,
      login: seed.login,
      name: seed.name ?? null,
      emails: (seed.emails ?? []).map((e) => ({ ...e })),
      orgs: new Map((seed.orgs ?? []).map((o) => [o.login.toLowerCase(), orgRecord(o.login, o)])),
      teams: new Map((seed.teams ?? []).map((t) => [teamKey(t.org, t.slug), teamRecord(t.org, t.slug, t)])),
      siteAdmin: seed.siteAdmin ?? false,
      company: seed.company ?? null,
      location: seed.location ?? null,
      bio: seed.bio ?? null,
      avatarVersion: 0,
      createdAt: this.now(),
    };
    for (const m of user.orgs.values()) this.orgId(m.org);
    this.users.set(user.id, user);
    this.byLogin.set(user.login.toLowerCase(), user.id);
  }

  /** The user with this login (case-insensitive), or undefined. */
  findUser(login: string): UserRecord | undefined {
    const id = this.byLogin.get(login.toLowerCase());
    return id === undefined ? undefined : this.users.get(id);
  }

  userById(id: number): UserRecord | undefined {
    return this.users.get(id);
  }

  listUsers(): UserRecord[] {
    return [...this.users.values()];
  }

  /** The user with this login, or `unknown_user`. */
  requireUser(login: string): UserRecord {
    const user = this.findUser(login);
    if (!user) throw new EmulatorError("unknown_user", `no user '${login}'`);
    return user;
  }

  renameUser(login: string, newLogin: string): void {
    const user = this.requireUser(login);
    const taken = this.byLogin.get(newLogin.toLowerCase());
    if (taken !== undefined && taken !== user.id) throw new EmulatorError("duplicate_user", `the login '${newLogin}' is taken`);
    this.byLogin.delete(user.login.toLowerCase());
    user.login = newLogin;
    this.byLogin.set(newLogin.toLowerCase(), user.id);
  }

  setEmails(login: string, emails: EmulatorEmail[]): void {
    this.requireUser(login).emails = emails.map((e) => ({ ...e }));
  }

  setProfile(login: string, profile: EmulatorProfileUpdate): void {
    const user = this.requireUser(login);
    if (profile.name !== undefined) user.name = profile.name;
    if (profile.company !== undefined) user.company = profile.company;
    if (profile.location !== undefined) user.location = profile.location;
    if (profile.bio !== undefined) user.bio = profile.bio;
    if (profile.newAvatar) user.avatarVersion += 1;
  }

  setOrgMembership(login: string, org: string, membership: EmulatorOrgMembership | null): void {
    const user = this.requireUser(login);
    if (membership === null) user.orgs.delete(org.toLowerCase());
    else {
      user.orgs.set(org.toLowerCase(), orgRecord(this.orgLogin(org), membership));
      this.orgId(org);
    }
  }

  setTeamMembership(login: string, org: string, team: string, membership: EmulatorTeamMembership | null): void {
    const user = this.requireUser(login);
    if (membership === null) user.teams.delete(teamKey(org, team));
    else user.teams.set(teamKey(org, team), teamRecord(this.orgLogin(org), team, membership));
  }

  teamMembership(user: UserRecord, org: string, team: string): TeamMembershipRecord | undefined {
    return user.teams.get(teamKey(org, team));
  }

  /** Whether anyone has ever been a member of (or invited to) the org. */
  orgExists(org: string): boolean {
    return this.orgIds.has(org.toLowerCase());
  }

  /** The org's stable id (assigned on first sight). */
  orgId(org: string): number {
    const key = org.toLowerCase();
    let id = this.orgIds.get(key);
    if (id === undefined) {
      id = 9_000_000 + this.orgIds.size + 1;
      this.orgIds.set(key, id);
    }
    return id;
  }

  /** The org's login as first spelled, so responses keep its case. */
  private orgLogin(org: string): string {
    for (const u of this.users.values()) {
      const m = u.orgs.get(org.toLowerCase());
      if (m) return m.org;
    }
    return org;
  }
}
