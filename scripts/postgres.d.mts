/** A throwaway PostgreSQL cluster on 127.0.0.1: its URL and how to stop it, or why it could not start. */
export function startPostgres(): Promise<{ url: string; stop: () => void; reason?: undefined } | { url?: undefined; stop?: undefined; reason: string }>;
