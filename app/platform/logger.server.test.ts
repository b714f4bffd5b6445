import { DrizzleQueryError } from "drizzle-orm/errors";
import { afterEach, describe, expect, it, vi } from "vitest";
import { logger, withoutQueryParameters } from "./logger.server";

const TOKEN_HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

describe("log lines never carry a failed query's parameters", () => {
  afterEach(() => vi.restoreAllMocks());

  function captured(): string[] {
    const lines: string[] = [];
    const capture = (chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stderr, "write").mockImplementation(capture);
    vi.spyOn(process.stdout, "write").mockImplementation(capture);
    return lines;
  }

  it("withholds them from messages, stacks and errors, keeping the query", () => {
    const error = new DrizzleQueryError(
      'select "id" from "api_clients" where "token_hash" = $1',
      [TOKEN_HASH],
      new Error("canceling statement due to statement timeout"),
    );
    const lines = captured();
    logger.error("unhandled API error", { error: error.stack, text: String(error), raw: error });
    logger.warn(`query failed: ${error.message}`);
    const output = lines.join("");
    expect(output).not.toContain(TOKEN_HASH);
    expect(output).toContain('where \\"token_hash\\" = $1');
    expect(output).toContain("params: [withheld]");
  });

  it("leaves other text alone", () => {
    expect(withoutQueryParameters("no parameters here")).toBe("no parameters here");
    expect(withoutQueryParameters("Failed query: select 1\nparams: a,b\n    at x")).toBe(
      "Failed query: select 1\nparams: [withheld]\n    at x",
    );
  });
});
