import type { IncomingMessage, ServerResponse } from "node:http";
type Listener = (req: IncomingMessage, res: ServerResponse) => void;
export function serve(makeListener: (url: string) => Listener | Promise<Listener>): Promise<void>;
export const env: { github: string; clientId: string; clientSecret: string; database: string };
export function cookie(req: IncomingMessage, name: string): string | undefined;
export function fetchIdentity(apiBase: string, accessToken: string): Promise<{ user: { id: number }; emails: unknown[] }>;
export function oauthRoutes(url: string, flow: { authorizeUrl(state: string): string | Promise<string>; exchange(code: string, state: string): Promise<string> }): Listener;
export function sendGitHubComToFake(): (url: string) => string;
