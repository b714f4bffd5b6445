// Both locales say everything: the same keys, no empty value, the same blanks ({{…}}) in each
// message, and every key the screens ask for by name exists. A missing key also throws under the
// tests (app/i18n/i18n.ts), so a screen that asks for one fails its browser test.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { i18nFor, resources } from "../i18n/i18n";

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}

const en = leaves(resources.en.translation as unknown as Tree);
const nb = leaves(resources.nb.translation as unknown as Tree);
const blanks = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "locales" ? [] : sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !/\.(test|d)\.tsx?$/.test(name) ? [path] : [];
  });
}

describe("locales", () => {
  it("have the same keys in English and Norwegian", () => {
    expect([...nb.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it("have no empty message", () => {
    for (const [key, value] of [...en, ...nb]) expect(value.trim(), key).not.toBe("");
  });

  it("fill the same blanks in both languages", () => {
    for (const [key, value] of en) expect(blanks(nb.get(key) ?? ""), key).toEqual(blanks(value));
  });

  it("hold every key the code asks for by name", () => {
    const asked = new Set<string>();
    for (const file of sourceFiles(join(__dirname, ".."))) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/\b(?:t|translate|translator\([^)]*\))\(\s*"([a-zA-Z0-9_.-]+)"/g)) asked.add(m[1]);
    }
    expect(asked.size).toBeGreaterThan(100);
    // A plural key is asked for without its suffix (_one, _other).
    const missing = [...asked].filter((key) => !en.has(key) && !en.has(`${key}_other`) && !isBranch(key));
    expect(missing).toEqual([]);
  });

  it("throws on a missing key under the tests", () => {
    const t = i18nFor("nb").t as unknown as (key: string) => string;
    expect(() => t("no.such.key")).toThrow(/Missing translation key: no.such.key/);
    expect(t("common.cancel")).toBe("Avbryt");
  });
});

/** A key that names a group (asked for with returnObjects), not a message. */
function isBranch(key: string): boolean {
  return [...en.keys()].some((k) => k.startsWith(`${key}.`));
}
