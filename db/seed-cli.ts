// `npm run db:seed -- --payments N [--seed S] [--mode bulk|incremental]`
//
// Adds N more payments (transactions, operation log, credits, daily volume) to the database of
// DATABASE_URL, or the embedded one in PAYDESK_DATA_DIR (default ./data), after applying the
// migrations. A database without staff users gets the demo base first (staff users, API
// clients, customers, recurring payments, …: exactly what the first `npm start` would create),
// so this also works on a brand-new database. Progress goes to stderr, the summary to stdout.
// Exit codes: 0 done, 1 could not be done (e.g. the embedded database is in use), 2 bad input.
import os from "node:os";
import { pathToFileURL } from "node:url";
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "./client";
import { commandFailed, withMigratedDatabase } from "./run-command";
import { isEmptyDatabase, seedDemoDatabase } from "./demo";
import { addPayments, DEFAULT_SEED, type AddPaymentsOptions } from "./seed";
import { payments } from "./schema";

const USAGE = `Usage: npm run db:seed -- [--payments N] [--seed S] [--mode bulk|incremental]

Adds N more payments (default 3000) over the last 90 days to the database of DATABASE_URL, or the
embedded one in PAYDESK_DATA_DIR (default ./data). An empty database gets the demo base first.
--seed makes the run reproducible (default ${DEFAULT_SEED}); --mode forces how rows are written
(default: bulk on a server for big runs, see docs/decisions/002-demo-data-generator.md).
`;

type Options = { payments: number; seed: number; mode?: "bulk" | "incremental" };

class InputError extends Error {}

function parse(argv: string[]): Options | "help" {
  const options: Options = { payments: 3000, seed: DEFAULT_SEED };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") return "help";
    const [flag, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith("--")) throw new InputError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--payments": {
        const v = value();
        if (!/^[0-9]{1,9}$/.test(v))
          throw new InputError(`--payments must be a whole number from 0 to 999999999, got "${v}"`);
        options.payments = Number.parseInt(v, 10);
        break;
      }
      case "--seed": {
        const v = value();
        if (!/^[0-9]{1,10}$/.test(v) || Number.parseInt(v, 10) > 4_294_967_295) {
          throw new InputError(`--seed must be a whole number from 0 to 4294967295, got "${v}"`);
        }
        options.seed = Number.parseInt(v, 10);
        break;
      }
      case "--mode": {
        const v = value();
        if (v !== "bulk" && v !== "incremental") throw new InputError(`--mode must be bulk or incremental, got "${v}"`);
        options.mode = v;
        break;
      }
      default:
        throw new InputError(`unknown argument "${arg}"`);
    }
  }
  return options;
}

async function countPayments(handle: DatabaseHandle): Promise<number> {
  const [row] = await handle.db.select({ n: sql<string | number | bigint>`count(*)` }).from(payments);
  return Number(row.n);
}

function progress(): AddPaymentsOptions["onProgress"] {
  let lastPhase = "";
  let lastPrinted = 0;
  return ({ phase, done, total, elapsedMs }) => {
    const seconds = (elapsedMs / 1000).toFixed(1);
    if (phase === "writing") {
      if (done === total || elapsedMs - lastPrinted >= 2000) {
        lastPrinted = elapsedMs;
        process.stderr.write(
          `  ${done.toLocaleString("en")} / ${total.toLocaleString("en")} payments written (${seconds} s)\n`,
        );
      }
    } else if (phase !== lastPhase && phase !== "done") {
      process.stderr.write(`  ${phase === "indexing" ? "rebuilding indexes" : phase}… (${seconds} s)\n`);
    }
    lastPhase = phase;
  };
}

/** Seconds depend on what else the machine runs: its load average (1 and 5 min) and core count say. */
function machineLoad(): string {
  const [one, five] = os.loadavg();
  return `Machine load average ${one.toFixed(2)} (1 min), ${five.toFixed(2)} (5 min) on ${os.cpus().length} cores.\n`;
}

export async function main(argv: string[]): Promise<number> {
  let options: Options | "help";
  try {
    options = parse(argv);
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    return await withMigratedDatabase(async (handle) => {
      process.stderr.write(`Database: ${handle.location}\n`);
      if (handle.kind === "pglite" && options.payments >= 200_000) {
        process.stderr.write(
          "Embedded PGlite: this many payments takes minutes; a PostgreSQL server (DATABASE_URL) is much faster.\n",
        );
      }
      const started = performance.now();
      if (await isEmptyDatabase(handle)) {
        process.stderr.write("Empty database: creating the demo base first (staff users, API clients, customers).\n");
        const summary = await seedDemoDatabase(handle, {
          payments: options.payments,
          seed: options.seed,
          onProgress: progress(),
        });
        const seconds = (performance.now() - started) / 1000;
        process.stdout.write(
          `Seeded the demo base and ${summary.payments.toLocaleString("en")} payments ` +
            `(${summary.transactions.toLocaleString("en")} transactions, ${summary.operations.toLocaleString("en")} operations, ` +
            `${summary.credits.toLocaleString("en")} credits) in ${seconds.toFixed(1)} s.\n` +
            `Staff logins and API tokens are printed when the server starts (npm start).\n` +
            machineLoad(),
        );
        return 0;
      }
      const before = await countPayments(handle);
      const summary = await addPayments(handle, {
        payments: options.payments,
        seed: options.seed,
        mode: options.mode,
        onProgress: progress(),
      });
      const after = await countPayments(handle);
      const ids =
        summary.firstPaymentId === null ? "" : ` (payment ids ${summary.firstPaymentId}–${summary.lastPaymentId})`;
      process.stdout.write(
        `Added ${summary.payments.toLocaleString("en")} payments${ids}, ${summary.transactions.toLocaleString("en")} transactions, ` +
          `${summary.operations.toLocaleString("en")} operations, ${summary.credits.toLocaleString("en")} credits ` +
          `in ${summary.seconds.toFixed(1)} s (${summary.mode} mode, ${Math.round(summary.payments / Math.max(summary.seconds, 0.001)).toLocaleString("en")} payments/s).\n` +
          `Payments in the database: ${before.toLocaleString("en")} before, ${after.toLocaleString("en")} now.\n` +
          machineLoad(),
      );
      return 0;
    });
  } catch (error) {
    return commandFailed(error);
  }
}

// Run when executed (tsx db/seed-cli.ts …), not when imported (the tests call main).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exit(await main(process.argv.slice(2)));
}
