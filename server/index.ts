// `npm start`: open the database (PGlite in PAYDESK_DATA_DIR, or DATABASE_URL), apply the
// migrations, seed demo data into an empty database (outside production, or with PAYDESK_SEED=demo;
// docs/decisions/027), start the sandbox PSP in a process of its own
// (unless PAYDESK_PSP_URL points at one), and serve the built Remix app.
import type { Server } from "node:http";
import type { ServerBuild } from "@remix-run/node";
import {
  DatabaseLockedError,
  openDatabase,
  optionsFromEnv,
  serverTimeouts,
  setDatabase,
  type DatabaseTimeouts,
} from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { demoBanner, ensureDemoData } from "../db/demo";
import { firstAdminHelp, hasStaffUser, seedModeFrom } from "../db/seed-mode";
import { createApp, listen } from "./app";
import { startBackgroundJobs } from "./jobs";
import { forkPsp } from "./psp-process";

async function main() {
  // Behind TLS in production the session cookie is always Secure, whatever a proxy forwards.
  if (process.env.NODE_ENV === "production") process.env.PAYDESK_COOKIE_SECURE ??= "true";
  // Demo data (public logins) only outside production or when asked for (docs/decisions/027).
  const mode = seedModeFrom(process.env);
  if ("error" in mode) {
    console.error(`\n${mode.error}\n`);
    process.exit(1);
  }
  const options = optionsFromEnv();
  const open = (timeouts?: DatabaseTimeouts) =>
    openDatabase({ ...options, timeouts }).catch((error: unknown) => {
      if (error instanceof DatabaseLockedError) {
        console.error(`\n${error.message}\n`);
        process.exit(1);
      }
      throw error;
    });
  // Migrations and the first seed may take longer than one request may: on a server they run
  // over their own connections without the serving pool's statement and lock timeouts. (PGlite
  // is one in-process database with no such timeouts, so it is opened once.)
  const handle = await open(serverTimeouts());
  const setup = handle.kind === "postgres" ? await open() : handle;
  await migrateDatabase(setup);
  if (mode.seed === "demo") await ensureDemoData(setup);
  const nobodyCanLogIn = !(await hasStaffUser(setup));
  if (setup !== handle) await setup.close();
  setDatabase(handle);

  // The sandbox PSP in a process of its own; its memory is kept beside the database's directory.
  const psp = process.env.PAYDESK_PSP_URL
    ? null
    : await forkPsp({
        ...process.env,
        PAYDESK_PSP_DATA_DIR: process.env.PAYDESK_PSP_DATA_DIR ?? `${process.env.PAYDESK_DATA_DIR || "./data"}-psp`,
      });
  if (psp) process.env.PAYDESK_PSP_URL = psp.url;

  const build = (await import(new URL("../build/index.js", import.meta.url).href)) as ServerBuild;
  const app = createApp(build);
  const port = Number.parseInt(process.env.PORT ?? "3000", 10);
  const host = process.env.HOST ?? "0.0.0.0";
  const server: Server = listen(app, port, host, async () => {
    const url = `http://localhost:${port}`;
    console.log(`\nPaydesk is running at ${url}`);
    console.log(`Database: ${handle.kind === "pglite" ? `embedded PGlite in ${handle.location}` : handle.location}`);
    console.log(`PSP: ${psp ? `the sandbox PSP at ${psp.url}` : process.env.PAYDESK_PSP_URL}`);
    console.log(mode.describe);
    const banner = await demoBanner(handle);
    if (banner) console.log(`\n${banner}\n`);
    if (nobodyCanLogIn) console.log(`\n${firstAdminHelp(handle.kind === "pglite")}\n`);
  });
  const stopJobs = startBackgroundJobs();

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: finishing open requests, then closing the database.`);
    stopJobs();
    server.close(async () => {
      psp?.stop();
      await handle.close();
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
