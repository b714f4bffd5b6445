// `npm run db:export -- DIR`: the embedded database (PAYDESK_DATA_DIR, default ./data) to DIR.
// `DATABASE_URL=postgres://… npm run db:import -- DIR`: DIR into that (new, empty) database,
// migrated first. Stop the server before an export: PGlite serves one process at a time.
// Exit codes: 0 done, 1 could not be done, 2 bad input.
import { pathToFileURL } from "node:url";
import { commandFailed, withMigratedDatabase } from "./run-command";
import { exportDatabase, importDatabase, type Manifest } from "./transfer";

const USAGE = `Usage: npm run db:export -- DIR     (the embedded database in PAYDESK_DATA_DIR, default ./data)
       DATABASE_URL=postgres://… npm run db:import -- DIR
`;

function summary(verb: string, dir: string, manifest: Manifest): string {
  const rows = manifest.tables.reduce((total, table) => total + table.rows, 0);
  return `${verb} ${manifest.tables.length} tables, ${rows.toLocaleString("en")} rows (${dir})`;
}

export async function main(argv: string[]): Promise<number> {
  const [command, dir, ...rest] = argv;
  if ((command !== "export" && command !== "import") || !dir || rest.length) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (command === "export" && process.env.DATABASE_URL) {
    process.stderr.write("db:export reads the embedded database: unset DATABASE_URL (for a server, use pg_dump).\n");
    return 2;
  }
  if (command === "import" && !process.env.DATABASE_URL) {
    process.stderr.write("db:import loads into a PostgreSQL server: set DATABASE_URL to a new, empty database.\n");
    return 2;
  }
  try {
    const manifest = await withMigratedDatabase((handle) =>
      command === "export" ? exportDatabase(handle, dir) : importDatabase(handle, dir),
    );
    process.stdout.write(`${summary(command === "export" ? "Exported" : "Imported", dir, manifest)}\n`);
    return 0;
  } catch (error) {
    return commandFailed(error);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exit(await main(process.argv.slice(2)));
}
