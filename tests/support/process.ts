// The real server (`server/index.ts`) as a child process over a shared database, for tests that
// restart or kill it, and the command-line tools (db/cli.ts, db/seed-cli.ts) as a user runs them
// or, quicker, through their `main` in this process. Spawned as node with tsx's loader (what the
// `tsx` binary starts, without the extra process in front), so a signal hits the script itself.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase, type DatabaseHandle, type OpenOptions } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { createServerDatabase, dropServerDatabase, newPspMerchant, runTemplate } from "./database";
import { databaseUrl, templateDump } from "./template";

export type SharedDatabase = {
  options: OpenOptions;
  /** What a child process (server, CLI, seed) needs in its environment to open the same database. */
  env: Record<string, string>;
  /** Opens it in this process, migrated (PGlite: only while no other process holds it). */
  open(): Promise<DatabaseHandle>;
  /** Opens the database in this process for set-up or checks (PGlite: only while no server runs). */
  withDatabase<T>(work: (handle: DatabaseHandle) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
};

/**
 * A database this process and child processes can both open: a fresh one on the server when
 * DATABASE_URL is set (unless `embedded`), otherwise a temporary PGlite directory; a copy of the
 * run's migrated template where there is one. `migrate: false` leaves it brand new, for tests of
 * what migrates it.
 */
export async function createSharedDatabase(
  prefix: string,
  { migrate = true, embedded = false }: { migrate?: boolean; embedded?: boolean } = {},
): Promise<SharedDatabase> {
  const serverUrl = embedded ? undefined : process.env.DATABASE_URL;
  newPspMerchant();
  let options: OpenOptions;
  let drop: () => Promise<void>;
  let migrated = false;
  if (serverUrl) {
    // Base 36, not decimal: the server prints this name, and a 13-digit decimal timestamp passes
    // the Luhn check one time in ten, which card-data.test.ts rightly reports as a card number.
    const name = `paydesk_${prefix}_${process.pid}_${Date.now().toString(36)}`;
    migrated = (await createServerDatabase(serverUrl, name, { fromTemplate: migrate })).migrated;
    options = { url: databaseUrl(serverUrl, name), maxConnections: 2 };
    drop = () => dropServerDatabase(serverUrl, name);
  } else {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `paydesk-${prefix}-`));
    options = { dataDir };
    drop = async () => fs.rmSync(dataDir, { recursive: true, force: true });
    const template = runTemplate();
    if (migrate && template?.kind === "pglite") {
      // The directory is new: loading the migrated template into it is what migrating it would do.
      const handle = await openDatabase({ dataDir, loadDataDir: templateDump(template) });
      await handle.close();
      migrated = true;
    }
  }
  const withDatabase = async <T>(work: (handle: DatabaseHandle) => Promise<T>): Promise<T> => {
    const handle = await openDatabase(options);
    try {
      return await work(handle);
    } finally {
      await handle.close();
    }
  };
  const open = async () => {
    const handle = await openDatabase(options);
    await migrateDatabase(handle);
    return handle;
  };
  const env: Record<string, string> = options.url
    ? { DATABASE_URL: options.url }
    : { DATABASE_URL: "", PAYDESK_DATA_DIR: options.dataDir! };
  if (migrate && !migrated) await withDatabase(migrateDatabase);
  return { options, env, open, withDatabase, drop };
}

export type ServerProcess = { child: ChildProcess; url: string; output(): string };

export function startServerProcess(
  database: SharedDatabase,
  port: number,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      PAYDESK_SEED: "none",
      LOG_LEVEL: "warn",
      // The production bounds, not the longer ones the in-process tests run with (global-setup.ts):
      // a child server is the server as `npm start` runs it, and its crash recovery is timed by them.
      PAYDESK_REQUEST_DEADLINE_MS: "8000",
      PAYDESK_DB_LOCK_TIMEOUT_MS: "3000",
      PAYDESK_DB_STATEMENT_TIMEOUT_MS: "5000",
      // A replica of the run's server database (read-replica.test.ts) is not this database's.
      DATABASE_READ_URL: "",
      ...database.env,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const poll = setInterval(async () => {
      try {
        if ((await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) })).ok) {
          clearInterval(poll);
          clearTimeout(deadline);
          resolve({ child, url, output: () => output });
        }
      } catch {
        // not listening yet
      }
    }, 200);
    // Gone before it was ready, whatever the reason (an exit code, or a signal such as the
    // kernel's OOM killer): say so, rather than leave the test waiting for its own timeout.
    child.on("exit", (code, signal) => {
      clearInterval(poll);
      clearTimeout(deadline);
      reject(new Error(`server exited (${signal ?? `code ${code}`}) before it was ready:\n${output}`));
    });
  });
}

/**
 * Stops the server with `signal` and waits for it to be gone. A graceful stop that has not ended
 * within 20 s (the server itself gives up after 10 s) is finished with SIGKILL and reported, so a
 * stuck shutdown fails the test with the server's output instead of hanging it.
 */
export async function stopServerProcess(server: ServerProcess, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.child.once("exit", () => resolve()));
  server.child.kill(signal);
  if (signal === "SIGKILL") return exited;
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<"stuck">((resolve) => (timer = setTimeout(() => resolve("stuck"), 20_000)));
  const outcome = await Promise.race([exited.then(() => "exited" as const), stuck]);
  clearTimeout(timer);
  if (outcome === "stuck") {
    server.child.kill("SIGKILL");
    await exited;
    throw new Error(`server did not stop on ${signal} within 20 s:\n${server.output()}`);
  }
}

/**
 * A free-ish port for a child server: below Linux's ephemeral range (32768 and up), where the
 * outgoing connections of a busy run take their ports; a port in that range was once taken
 * between the pick and the child's listen (EADDRINUSE).
 */
export function randomPort(): number {
  return 20_000 + Math.floor(Math.random() * 12_000);
}

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** What a command-line tool did: its exit code and everything it wrote. */
export type ScriptRun = { code: number | null; stdout: string; stderr: string };

/**
 * `npm run …` of the TypeScript entry point `script` (a path from the repository root) as a child
 * process, with `env` over this process's environment and `input` on its stdin.
 */
export function runScript(script: string, args: string[], env: Record<string, string>, input?: string) {
  return new Promise<ScriptRun>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk) => (stdout += chunk));
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    if (input !== undefined) child.stdin!.end(input);
  });
}

/**
 * A command-line tool's `main(args)` in this process, with what it writes to stdout and stderr
 * captured and `env` over the environment while it runs: what `runScript` does without starting a
 * process. One at a time (the capture is process-wide); `main` must close whatever it opened, as
 * its process's exit would.
 */
export async function runMain(
  main: (args: string[]) => Promise<number>,
  args: string[],
  env: Record<string, string>,
): Promise<ScriptRun> {
  const saved = { stdout: process.stdout.write, stderr: process.stderr.write, env: { ...process.env } };
  let stdout = "";
  let stderr = "";
  const capture = (write: (text: string) => void) =>
    ((chunk: string | Uint8Array) => (write(chunk.toString()), true)) as typeof process.stdout.write;
  process.stdout.write = capture((text) => (stdout += text));
  process.stderr.write = capture((text) => (stderr += text));
  Object.assign(process.env, env);
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
    for (const key of Object.keys(env)) {
      if (key in saved.env) process.env[key] = saved.env[key];
      else delete process.env[key];
    }
  }
}
