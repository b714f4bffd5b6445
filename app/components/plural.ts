import { formatCount } from "./format";

/** "1 row", "2 rows", "1 000 rows": a count with its noun, for people. Regular plurals only. */
export function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${count === 1 ? noun : `${noun}s`}`;
}
