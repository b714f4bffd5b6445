// Structured JSON log lines on stdout, one object per line, always with the correlation id when
// there is one. Amounts may appear; card numbers never: inputs that carry one are refused, and
// every line is masked on its way out as well (a header, a path or an error message may quote
// what a caller sent).
import { maskCardNumbers } from "../domain/card-number";

type Fields = Record<string, unknown>;
type Level = "debug" | "info" | "warn" | "error";

const LEVELS: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const configured = (process.env.LOG_LEVEL ?? "info") as Level;
  return LEVELS[configured] ?? LEVELS.info;
}

/**
 * A failed query's error (drizzle's "Failed query: …\nparams: …") names the query's parameters:
 * a token's hash, an email, an amount. Whatever a caller logs (a message, a stack, String(error)),
 * the parameters are withheld; the query text stays, it says what failed.
 */
export function withoutQueryParameters(text: string): string {
  return text.replace(/(^|\n)(\s*)params: [^\n]*/g, "$1$2params: [withheld]");
}

function scrub(value: unknown): unknown {
  if (typeof value === "string") return withoutQueryParameters(value);
  if (value instanceof Error) return withoutQueryParameters(value.stack ?? value.message);
  return value;
}

function write(level: Level, message: string, fields?: Fields) {
  if (LEVELS[level] < threshold()) return;
  const scrubbed = fields ? Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, scrub(value)])) : {};
  // Card numbers are masked in the whole line, whatever field carries one.
  const line = maskCardNumbers(
    JSON.stringify({ time: new Date().toISOString(), level, msg: withoutQueryParameters(message), ...scrubbed }),
  );
  if (level === "error" || level === "warn") process.stderr.write(`${line}\n`);
  else process.stdout.write(`${line}\n`);
}

export const logger = {
  debug: (message: string, fields?: Fields) => write("debug", message, fields),
  info: (message: string, fields?: Fields) => write("info", message, fields),
  warn: (message: string, fields?: Fields) => write("warn", message, fields),
  error: (message: string, fields?: Fields) => write("error", message, fields),
};

/**
 * Paths as they go into logs: a hosted page's token is a bearer secret for 15 minutes (whoever
 * has it can pay the page), and a password reset link's for 30 (whoever has it sets the
 * password), so neither reaches a log line.
 */
export function loggablePath(path: string): string {
  return path
    .replace(/^\/sandbox\/([^/]+)\/[^/]+/, "/sandbox/$1/…")
    .replace(/^\/reset-password\/[^/]+/, "/reset-password/…");
}
