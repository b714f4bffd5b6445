// Paydesk admin CLI: `npm run --silent cli -- <command> [flags]` (see usage below).
//
// Machine-readable: on success stdout holds exactly one JSON line and nothing else (anything
// else, migration notices included, goes to stderr). Exit codes: 0 done, 1 could not be done
// (database locked or unreachable, unexpected error), 2 bad input (the message names the flag).
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { DatabaseHandle } from "./client";
import { commandFailed, withMigratedDatabase } from "./run-command";
import { createApiClient } from "../app/services/admin/api-clients.server";
import { createStaffUser } from "../app/services/admin/staff-users.server";
import { passwordProblem } from "../app/auth/password-policy.server";
import { isRole, ROLES } from "../app/auth/roles";
import { channelProblem, organisationIdProblem, splitList } from "../app/domain/api-clients";
import { DomainError } from "../app/domain/errors";
import { redirectPrefixProblem } from "../app/domain/redirects";
import type { SystemCaller } from "../app/domain/caller";
import { withDatabase } from "../app/platform/db.server";

/** The CLI calls use-cases as the system: no audit entry (the operator's shell is the record). */
const cli = (): SystemCaller => ({ kind: "system", name: "paydesk-cli", correlationId: crypto.randomUUID() });

// Keep stdout for the one JSON line: whatever else logs (a library, a notice) goes to stderr.
console.log = console.error;
console.info = console.error;
console.debug = console.error;

export const USAGE = `Paydesk admin CLI

Usage: npm run --silent cli -- <command> [flags]

Commands:
  create-client --name NAME --organisation ORG [--organisation-name NAME] [--privileged]
                [--on-behalf-of] [--channels web,app]
                [--redirect-prefixes https://a.example/,https://b.example/]
      Creates an API client (and its organisation when new, named --organisation-name) with an
      enabled payment method for every payment type on each channel (default channel: web). Prints
      {"clientId":"…","organisationId":1,"token":"…"}: the token is shown only this once.

  create-user --email EMAIL --role ${ROLES.join("|")} (--password PASSWORD | --password-stdin) [--name NAME]
      Creates a staff user for the back-office. Prints {"id":"…","email":"…","role":"…"}.
      --password-stdin reads the password from stdin (keeps it out of shell history and ps).

The database is DATABASE_URL when set, else the embedded one in PAYDESK_DATA_DIR (default ./data);
migrations are applied first. The embedded database allows one process at a time: stop the
server first, or use DATABASE_URL.

Exit codes: 0 done, 1 could not be done, 2 bad input.
`;

class InputError extends Error {}

type FlagSpec = Record<string, "string" | "boolean">;
type Flags = Record<string, string | boolean | undefined>;

export function parseFlags(args: string[], spec: FlagSpec, command: string): Flags {
  const flags: Flags = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("--")) throw new InputError(`unexpected argument "${arg}" for ${command}`);
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const kind = spec[name];
    if (!kind) throw new InputError(`unknown flag --${name} for ${command}`);
    if (kind === "boolean") {
      if (eq < 0) flags[name] = true;
      else {
        const value = arg.slice(eq + 1);
        if (value !== "true" && value !== "false") throw new InputError(`--${name} takes no value (or =true / =false)`);
        flags[name] = value === "true";
      }
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < args.length && !args[i + 1].startsWith("--")) value = args[++i];
    if (value === undefined) throw new InputError(`--${name} needs a value`);
    flags[name] = value;
  }
  return flags;
}

function required(flags: Flags, name: string): string {
  const value = flags[name];
  if (typeof value !== "string" || value.trim() === "") throw new InputError(`--${name} is required`);
  return value.trim();
}

function list(value: string | boolean | undefined): string[] | undefined {
  return typeof value === "string" ? splitList(value) : undefined;
}

/** A service's field error as the flag it came from, e.g. organisationName → --organisation-name. */
function flagError(error: DomainError, flagOf: Record<string, string>): InputError {
  const [first] = error.errors;
  if (!first) return new InputError(error.message);
  const flag = `--${flagOf[first.field] ?? first.field}`;
  return new InputError(`${flag}${first.message.startsWith("must") ? " " : ": "}${first.message}`);
}

type Command = { run(handle: DatabaseHandle): Promise<Record<string, unknown>> };

function createClientCommand(args: string[]): Command {
  const flags = parseFlags(
    args,
    {
      name: "string",
      organisation: "string",
      "organisation-name": "string",
      privileged: "boolean",
      "on-behalf-of": "boolean",
      channels: "string",
      "redirect-prefixes": "string",
    },
    "create-client",
  );
  const name = required(flags, "name");
  if (name.length > 200) throw new InputError("--name must be at most 200 characters");
  const organisationText = required(flags, "organisation");
  const organisationProblem = organisationIdProblem(organisationText);
  if (organisationProblem) throw new InputError(`--organisation ${organisationProblem}`);
  const organisationId = Number.parseInt(organisationText, 10);
  const organisationName = flags["organisation-name"] === undefined ? undefined : required(flags, "organisation-name");
  const channels = list(flags.channels);
  if (channels !== undefined) {
    if (!channels.length) throw new InputError("--channels needs at least one channel, e.g. web,app");
    const bad = channels.map(channelProblem).find((problem) => problem !== null);
    if (bad) throw new InputError(`--channels: ${bad}`);
  }
  const prefixes = list(flags["redirect-prefixes"]);
  const badPrefix = prefixes?.map(redirectPrefixProblem).find((problem) => problem !== null);
  if (badPrefix) throw new InputError(`--redirect-prefixes: ${badPrefix}`);
  return {
    run: async (handle) => {
      try {
        const created = await withDatabase(handle, () =>
          createApiClient(cli(), {
            name,
            organisationId,
            organisationName,
            privileged: flags.privileged === true,
            onBehalfOfAllowed: flags["on-behalf-of"] === true,
            channels,
            allowedRedirectPrefixes: prefixes,
          }),
        );
        return { clientId: created.clientId, organisationId: created.organisationId, token: created.token };
      } catch (error) {
        if (error instanceof DomainError && error.kind === "invalid") {
          throw flagError(error, {
            organisationName: "organisation-name",
            allowedRedirectPrefixes: "redirect-prefixes",
          });
        }
        throw error;
      }
    },
  };
}

function createUserCommand(args: string[]): Command {
  const flags = parseFlags(
    args,
    { email: "string", role: "string", password: "string", "password-stdin": "boolean", name: "string" },
    "create-user",
  );
  const email = required(flags, "email");
  const role = required(flags, "role");
  if (!isRole(role)) throw new InputError(`--role must be one of ${ROLES.join(", ")}, got "${role}"`);
  let password: string;
  if (flags["password-stdin"] === true) {
    if (flags.password !== undefined) throw new InputError("use either --password or --password-stdin, not both");
    password = readFileSync(0, "utf8").replace(/\r?\n$/, "");
  } else {
    if (typeof flags.password !== "string" || flags.password === "")
      throw new InputError("--password (or --password-stdin) is required");
    password = flags.password;
  }
  const problem = passwordProblem(password);
  if (problem) throw new InputError(`--password ${problem}`);
  const name = typeof flags.name === "string" ? flags.name : undefined;
  return {
    run: async (handle) => {
      try {
        const user = await withDatabase(handle, () => createStaffUser(cli(), { email, role, password, name }));
        return { id: user.id, email: user.email, role: user.role };
      } catch (error) {
        if (error instanceof DomainError && error.kind === "invalid") throw flagError(error, {});
        throw error;
      }
    },
  };
}

const COMMANDS: Record<string, (args: string[]) => Command> = {
  "create-client": createClientCommand,
  "create-user": createUserCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [commandName, ...args] = argv;
  if (commandName === "--help" || commandName === "-h" || commandName === "help" || args.includes("--help")) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!commandName) {
    process.stderr.write(`error: no command given\n\n${USAGE}`);
    return 2;
  }
  const factory = COMMANDS[commandName];
  if (!factory) {
    process.stderr.write(
      `error: unknown command "${commandName}" (commands: ${Object.keys(COMMANDS).join(", ")}; see --help)\n`,
    );
    return 2;
  }
  try {
    const command = factory(args); // validates the flags before touching the database
    const result = await withMigratedDatabase((handle) => command.run(handle));
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof InputError) {
      process.stderr.write(`error: ${error.message}\nRun with --help for usage.\n`);
      return 2;
    }
    return commandFailed(error);
  }
}

// Run when executed (tsx db/cli.ts …), not when imported.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await main(process.argv.slice(2));
  process.exit(code);
}
