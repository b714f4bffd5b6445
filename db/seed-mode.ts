// Whether a start fills an empty database with the demo (docs/decisions/027-safe-defaults.md).
// The demo's staff passwords and API tokens are public (README), so in production it is only
// there when someone asked for it by name; outside production it stays the default, so that
// `npm start` on a fresh clone shows a living system.
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "./client";
import { staffUsers } from "./schema";

export type SeedMode = {
  /** demo: an empty database gets the demo data; none: nothing is seeded. */
  seed: "demo" | "none";
  production: boolean;
  /** The one line of the start banner that says which mode runs, and why. */
  describe: string;
};

/**
 * The seed mode from the environment: PAYDESK_SEED (`demo` or `none`) when set, else `none` in
 * production (NODE_ENV=production) and `demo` everywhere else. Any other value is refused rather
 * than guessed at: a typo must not put public logins into a production database.
 */
export function seedModeFrom(env: { NODE_ENV?: string; PAYDESK_SEED?: string }): SeedMode | { error: string } {
  const production = env.NODE_ENV === "production";
  const asked = env.PAYDESK_SEED?.trim();
  if (asked !== undefined && asked !== "" && asked !== "demo" && asked !== "none")
    return { error: `PAYDESK_SEED must be "demo" or "none" (or unset), not "${asked}".` };
  const seed = asked === "demo" || asked === "none" ? asked : production ? "none" : "demo";
  const environment = production ? "production (NODE_ENV=production)" : "development";
  const why = asked
    ? `PAYDESK_SEED=${asked}`
    : production
      ? "the default in production"
      : "the default outside production";
  const what =
    seed === "demo"
      ? "an empty database gets the demo data, whose logins and tokens are public"
      : "no demo data is seeded";
  const warning = production && seed === "demo" ? " WARNING: demo logins in production." : "";
  return { seed, production, describe: `Mode: ${environment}; ${what} (${why}).${warning}` };
}

/** Whether any staff user exists (someone can log in to the back-office). */
export async function hasStaffUser(handle: DatabaseHandle): Promise<boolean> {
  const [row] = await handle.db
    .select({ one: sql<number>`1` })
    .from(staffUsers)
    .limit(1);
  return row !== undefined;
}

/** What to do on a database nobody can log in to yet: create the first admin with the CLI. */
export function firstAdminHelp(embedded: boolean): string {
  return [
    "No staff user exists yet. Create the first admin with the command-line tool:",
    "  npm run --silent cli -- create-user --email you@example.com --role admin --password-stdin",
    "(it reads the password from stdin, out of the shell history). Then an API client for a shop:",
    '  npm run --silent cli -- create-client --name "Acme web shop" --organisation 42 --organisation-name "Acme AS"',
    embedded
      ? "The embedded database allows one process at a time: stop the server (Ctrl-C) first, then start it again."
      : "Run them with the same DATABASE_URL as the server; they work while it runs.",
  ].join("\n");
}
