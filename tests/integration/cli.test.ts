// The admin CLI (db/cli.ts) as a user runs it, over a brand-new embedded data directory, or a
// fresh database on the server when DATABASE_URL is set. Stdout must hold one JSON line and
// nothing else; input errors exit 2 naming the flag; a locked embedded database exits 1 with the
// message that says what to do. Most cases call the CLI's `main` in this process, with stdout and
// stderr captured (a process per case cost most of this file's time); the executable itself is
// run as a child process where only a process shows it: the password read from stdin, the lock
// held by another process and released by the CLI's own exit, and one run that works.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { verify } from "@node-rs/argon2";
import { sql } from "drizzle-orm";
import { openDatabase, type DatabaseHandle } from "../../db/client";
import { runMain, runScript, type ScriptRun as Run, type SharedDatabase } from "../support/process";
import { useSharedDatabase } from "../support/fixtures-process";
import { PAYMENT_TYPE_GROUP_OF, PAYMENT_TYPES } from "../../app/domain/enums";

// Each describe has a database both the CLI and the test can open (useSharedDatabase): brand new,
// so the CLI migrates it, unless `migrate: true` (a copy of the run's template, up to date).

/** `npm run cli -- …` as a child process. */
const cliProcess = (args: string[], env: Record<string, string>, input?: string) =>
  runScript("db/cli.ts", args, env, input);

// db/cli.ts sends console.log to stderr when it is loaded; the file's other tests (and, without
// isolation, later files) keep the console they had.
const consoleBefore = { log: console.log, info: console.info, debug: console.debug };
afterAll(() => void Object.assign(console, consoleBefore));

/** `main(args)` of db/cli.ts in this process (tests/support/process.ts: runMain). */
async function cli(args: string[], env: Record<string, string>): Promise<Run> {
  const { main } = await import("../../db/cli");
  return runMain(main, args, env);
}

/** The single JSON line on stdout (fails when there is anything else). */
function jsonLine(run: Run): Record<string, unknown> {
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout.endsWith("\n")).toBe(true);
  const lines = run.stdout.split("\n");
  expect(lines).toHaveLength(2); // one line and the empty rest after its newline
  expect(lines[1]).toBe("");
  return JSON.parse(lines[0]);
}

async function rows<T = Record<string, unknown>>(handle: DatabaseHandle, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await handle.db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

async function withDatabase<T>(target: SharedDatabase, work: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = await target.open();
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

// Its first case migrates a brand-new database (the CLI's own first run): seconds alone, over a
// minute beside a full run's other workers on two cores.
describe("cli create-client", { timeout: 180_000 }, () => {
  const target = useSharedDatabase("cli", { migrate: false });

  it("prints one JSON line, stores only the token's hash and gives every payment type on every channel", async () => {
    const run = await cli(
      [
        "create-client",
        "--name",
        "Acme web shop",
        "--organisation",
        "42",
        "--channels",
        "web,app",
        "--privileged",
        "--on-behalf-of",
        "--redirect-prefixes",
        "https://shop.acme.example/,http://localhost:5173/",
      ],
      target.env,
    );
    const output = jsonLine(run);
    expect(Object.keys(output).sort()).toEqual(["clientId", "organisationId", "token"]);
    expect(output.organisationId).toBe(42);
    expect(output.clientId).toMatch(/^acme-web-shop-[0-9a-f]{6}$/);
    const token = output.token as string;
    expect(token).toMatch(/^pd_[A-Za-z0-9_-]{43}$/);

    await withDatabase(target, async (handle) => {
      const clients = await rows<Record<string, unknown>>(
        handle,
        sql`select * from api_clients where client_id = ${output.clientId}`,
      );
      expect(clients).toHaveLength(1);
      const client = clients[0];
      expect(client.token_hash).toBe(createHash("sha256").update(token).digest("hex"));
      expect(client.organisation_id).toBe(42);
      expect(client.privileged).toBe(true);
      expect(client.on_behalf_of_allowed).toBe(true);
      expect(client.distribution_channels).toEqual(["web", "app"]);
      expect(client.allowed_redirect_prefixes).toEqual(["https://shop.acme.example/", "http://localhost:5173/"]);
      // The token itself is nowhere in the table: not in any column of any row.
      const [{ n }] = await rows<{ n: number }>(
        handle,
        sql`select count(*)::int as n from api_clients c where position(${token} in row_to_json(c)::text) > 0`,
      );
      expect(n).toBe(0);

      const [organisation] = await rows<{ id: number }>(handle, sql`select id from organisations where id = 42`);
      expect(organisation?.id).toBe(42);

      const methods = await rows<{
        distribution_channel_id: string;
        payment_type: string;
        payment_type_group: string;
        enabled: boolean;
      }>(
        handle,
        sql`select distribution_channel_id, payment_type, payment_type_group, enabled from payment_methods
             where client_id = ${output.clientId} order by 1, 2`,
      );
      const expected = ["app", "web"].flatMap((channel) =>
        [...PAYMENT_TYPES].sort().map((type) => ({
          distribution_channel_id: channel,
          payment_type: type,
          payment_type_group: PAYMENT_TYPE_GROUP_OF[type],
          enabled: true,
        })),
      );
      expect(methods).toEqual(expected);
    });
  });

  it("defaults to the web channel and a non-privileged client", async () => {
    const output = jsonLine(await cli(["create-client", "--name=Nordlys", "--organisation=7"], target.env));
    expect(output.organisationId).toBe(7);
    await withDatabase(target, async (handle) => {
      const [client] = await rows<{
        privileged: boolean;
        on_behalf_of_allowed: boolean;
        distribution_channels: string[];
      }>(
        handle,
        sql`select privileged, on_behalf_of_allowed, distribution_channels from api_clients where client_id = ${output.clientId}`,
      );
      expect(client).toEqual({ privileged: false, on_behalf_of_allowed: false, distribution_channels: ["web"] });
      const channels = await rows<{ channel: string; n: number }>(
        handle,
        sql`select distribution_channel_id as channel, count(*)::int as n from payment_methods
             where client_id = ${output.clientId} group by 1`,
      );
      expect(channels).toEqual([{ channel: "web", n: PAYMENT_TYPES.length }]);
    });
  });

  it("names a new organisation with --organisation-name and refuses another name for an existing one", async () => {
    const output = jsonLine(
      await cli(
        ["create-client", "--name", "Tindved web", "--organisation", "77", "--organisation-name", "Tindved AS"],
        target.env,
      ),
    );
    expect(output.organisationId).toBe(77);
    // The same name again is fine (a second client of the organisation); another is exit 2.
    jsonLine(
      await cli(
        ["create-client", "--name", "Tindved app", "--organisation", "77", "--organisation-name", "Tindved AS"],
        target.env,
      ),
    );
    const renamed = await cli(
      ["create-client", "--name", "Tindved kiosk", "--organisation", "77", "--organisation-name", "Other AS"],
      target.env,
    );
    expect(renamed.code).toBe(2);
    expect(renamed.stdout).toBe("");
    expect(renamed.stderr).toMatch(
      /--organisation-name: does not match organisation 77, which exists already as "Tindved AS"/,
    );
    await withDatabase(target, async (handle) => {
      const organisations = await rows<{ name: string }>(handle, sql`select name from organisations where id = 77`);
      expect(organisations).toEqual([{ name: "Tindved AS" }]);
      const clients = await rows<{ n: number }>(
        handle,
        sql`select count(*)::int as n from api_clients where organisation_id = 77`,
      );
      expect(clients).toEqual([{ n: 2 }]);
    });
  });
});

describe("cli create-user", () => {
  // Migrating a brand-new database is covered by create-client above.
  const target = useSharedDatabase("cli", { migrate: true });

  it("creates a staff user with an argon2id hash of the password, never the password", async () => {
    const password = "correct horse battery";
    const output = jsonLine(
      await cli(
        [
          "create-user",
          "--email",
          "Kari.Nordmann@Example.com",
          "--role",
          "finance",
          "--password",
          password,
          "--name",
          "Kari Nordmann",
        ],
        target.env,
      ),
    );
    expect(Object.keys(output).sort()).toEqual(["email", "id", "role"]);
    expect(output.email).toBe("kari.nordmann@example.com");
    expect(output.role).toBe("finance");
    await withDatabase(target, async (handle) => {
      const users = await rows<{ id: string; name: string; role: string; password_hash: string }>(
        handle,
        sql`select id, name, role, password_hash from staff_users where lower(email) = 'kari.nordmann@example.com'`,
      );
      expect(users).toHaveLength(1);
      expect(users[0].id).toBe(output.id);
      expect(users[0].name).toBe("Kari Nordmann");
      expect(users[0].role).toBe("finance");
      expect(users[0].password_hash).toMatch(/^\$argon2id\$/);
      expect(users[0].password_hash).not.toContain(password);
      expect(await verify(users[0].password_hash, password)).toBe(true);
      expect(await verify(users[0].password_hash, "wrong password!")).toBe(false);
    });
  });

  it("reads the password from stdin with --password-stdin", async () => {
    const output = jsonLine(
      await cliProcess(
        ["create-user", "--email", "ola@example.com", "--role", "support", "--password-stdin"],
        target.env,
        "stdin passphrase 1\n",
      ),
    );
    await withDatabase(target, async (handle) => {
      const [user] = await rows<{ password_hash: string }>(
        handle,
        sql`select password_hash from staff_users where id = ${output.id}`,
      );
      expect(await verify(user.password_hash, "stdin passphrase 1")).toBe(true);
    });
  });

  it.each([
    [
      "a second user with the same email (any case)",
      "KARI.NORDMANN@example.com",
      /--email: a staff user with this email exists already/,
    ],
    ["an email that is not one", "not-an-email", /--email must be an email address/],
  ])("refuses %s with exit 2 naming --email", async (_, email, message) => {
    const run = await cli(
      ["create-user", "--email", email, "--role", "admin", "--password", "another long one"],
      target.env,
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(message);
  });
});

describe("cli input errors", () => {
  // Validated before the database is opened: these never touch it.
  const cases: Array<[string, string[], RegExp]> = [
    ["missing --organisation", ["create-client", "--name", "Acme"], /--organisation is required/],
    ["missing --name", ["create-client", "--organisation", "1"], /--name is required/],
    [
      "non-numeric organisation",
      ["create-client", "--name", "Acme", "--organisation", "acme"],
      /--organisation must be a whole number/,
    ],
    [
      "organisation 0",
      ["create-client", "--name", "Acme", "--organisation", "0"],
      /--organisation must be a whole number/,
    ],
    [
      "organisation too big",
      ["create-client", "--name", "Acme", "--organisation", "99999999999"],
      /--organisation must be a whole number/,
    ],
    [
      "bad channel",
      ["create-client", "--name", "Acme", "--organisation", "1", "--channels", "Web Shop"],
      /--channels: "Web Shop"/,
    ],
    [
      "bad redirect prefix",
      ["create-client", "--name", "Acme", "--organisation", "1", "--redirect-prefixes", "javascript:alert(1)"],
      /--redirect-prefixes/,
    ],
    [
      "empty organisation name",
      ["create-client", "--name", "Acme", "--organisation", "1", "--organisation-name", " "],
      /--organisation-name is required/,
    ],
    ["flag without value", ["create-client", "--organisation", "1", "--name"], /--name needs a value/],
    [
      "unknown flag",
      ["create-client", "--name", "Acme", "--organisation", "1", "--colour", "red"],
      /unknown flag --colour for create-client/,
    ],
    [
      "bad role",
      ["create-user", "--email", "a@b.no", "--role", "boss", "--password", "long enough pw"],
      /--role must be one of support, finance, admin/,
    ],
    [
      "short password",
      ["create-user", "--email", "a@b.no", "--role", "admin", "--password", "short"],
      /--password must be at least 12 characters/,
    ],
    [
      "password longer than one can log in with",
      ["create-user", "--email", "a@b.no", "--role", "admin", "--password", "x".repeat(129)],
      /--password must be at most 128 characters/,
    ],
    [
      "common password",
      ["create-user", "--email", "a@b.no", "--role", "admin", "--password", "Password1234"],
      /--password is on a list of common passwords/,
    ],
    [
      "missing password",
      ["create-user", "--email", "a@b.no", "--role", "admin"],
      /--password \(or --password-stdin\) is required/,
    ],
    ["missing email", ["create-user", "--role", "admin", "--password", "long enough pw"], /--email is required/],
    ["unknown command", ["drop-everything"], /unknown command "drop-everything"/],
    ["no command", [], /no command given/],
  ];
  const target = useSharedDatabase("cli", { migrate: false, embedded: true });
  let results: Run[];
  beforeAll(async () => {
    results = [];
    for (const [, args] of cases) results.push(await cli(args, target.env));
  });

  it.each(cases.map((c, i) => [c[0], i] as const))(
    "%s: exit 2, a message naming it on stderr, nothing on stdout",
    (_name, index) => {
      const run = results[index];
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(cases[index][2]);
    },
  );

  it("did not even create the database for input errors", () => {
    expect(fs.readdirSync(target.env.PAYDESK_DATA_DIR)).toEqual([]);
  });

  it("prints usage for --help with exit 0", async () => {
    const run = await cli(["--help"], target.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/create-client --name NAME --organisation ORG/);
    expect(run.stdout).toMatch(/create-user --email EMAIL --role support\|finance\|admin/);
  });
});

describe("cli on a locked embedded database", () => {
  const target = useSharedDatabase("cli", { migrate: true, embedded: true });

  it("exits 1 with the lock message while another process holds the data dir, and works once it is released", async () => {
    const holder = await openDatabase({ dataDir: target.env.PAYDESK_DATA_DIR });
    let released = false;
    try {
      const run = await cliProcess(
        ["create-user", "--email", "lock@example.com", "--role", "admin", "--password", "long enough pw"],
        target.env,
      );
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain(`is in use by another Paydesk process (pid ${process.pid})`);
      expect(run.stderr).toContain("Stop the server");
      expect(run.stderr).toContain("DATABASE_URL");
      await holder.close();
      released = true;
      const output = jsonLine(
        await cliProcess(
          ["create-user", "--email", "lock@example.com", "--role", "admin", "--password", "long enough pw"],
          target.env,
        ),
      );
      expect(output.email).toBe("lock@example.com");
      // The CLI released its own lock on exit.
      expect(fs.existsSync(path.join(target.env.PAYDESK_DATA_DIR, "paydesk.lock"))).toBe(false);
    } finally {
      if (!released) await holder.close();
    }
  });
});
