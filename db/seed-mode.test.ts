import { firstAdminHelp, seedModeFrom } from "./seed-mode";

describe("seedModeFrom", () => {
  it.each([
    [{}, "demo", false],
    [{ NODE_ENV: "development" }, "demo", false],
    [{ NODE_ENV: "test", PAYDESK_SEED: "none" }, "none", false],
    [{ NODE_ENV: "production" }, "none", true],
    [{ NODE_ENV: "production", PAYDESK_SEED: "" }, "none", true],
    [{ NODE_ENV: "production", PAYDESK_SEED: "none" }, "none", true],
    [{ NODE_ENV: "production", PAYDESK_SEED: "demo" }, "demo", true],
  ] as const)("%j → %s", (env, seed, production) => {
    expect(seedModeFrom(env)).toMatchObject({ seed, production });
  });

  it("says in the banner which mode runs and why, and warns about demo logins in production", () => {
    const describe = (env: { NODE_ENV?: string; PAYDESK_SEED?: string }) =>
      (seedModeFrom(env) as { describe: string }).describe;
    expect(describe({})).toBe(
      "Mode: development; an empty database gets the demo data, whose logins and tokens are public (the default outside production).",
    );
    expect(describe({ NODE_ENV: "production" })).toBe(
      "Mode: production (NODE_ENV=production); no demo data is seeded (the default in production).",
    );
    expect(describe({ NODE_ENV: "production", PAYDESK_SEED: "demo" })).toMatch(
      /\(PAYDESK_SEED=demo\)\. WARNING: demo logins in production\.$/,
    );
  });

  it("refuses a value it does not know instead of guessing (a typo must not seed public logins)", () => {
    expect(seedModeFrom({ NODE_ENV: "production", PAYDESK_SEED: "nnoe" })).toEqual({
      error: 'PAYDESK_SEED must be "demo" or "none" (or unset), not "nnoe".',
    });
  });
});

describe("firstAdminHelp", () => {
  it("names the CLI command that creates the first admin, and what the embedded database needs", () => {
    expect(firstAdminHelp(true)).toContain("npm run --silent cli -- create-user --email you@example.com --role admin");
    expect(firstAdminHelp(true)).toMatch(/stop the server/);
    expect(firstAdminHelp(false)).toMatch(/same DATABASE_URL/);
  });
});
