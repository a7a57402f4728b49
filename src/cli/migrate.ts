/** `gatehouse migrate`: brings the database schema up to date (serve also does it at start). */
import { ConfigError, loadConfig } from "../config.js";
import { DEFAULT_DATABASE_URL, openStore } from "../store/index.js";

const HELP = `Usage: gatehouse migrate

Applies pending schema migrations to GATEHOUSE_DATABASE_URL (default ${DEFAULT_DATABASE_URL}).`;

export async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  let databaseUrl: string;
  try {
    databaseUrl = loadConfig(process.env).databaseUrl;
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`gatehouse migrate: ${err.message}`);
      return 1;
    }
    throw err;
  }
  const store = await openStore(databaseUrl, { migrate: false });
  try {
    const { applied } = await store.migrate();
    console.log(applied.length === 0 ? "The database schema is up to date." : `Applied: ${applied.join(", ")}`);
    return 0;
  } finally {
    await store.close();
  }
}
