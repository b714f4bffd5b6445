import { describe, expect, it } from "vitest";
import { diffRows, showValue } from "./audit-diff";

describe("diffRows", () => {
  it("marks changed, added and removed fields and keeps unchanged ones", () => {
    expect(
      diffRows({ role: "support", email: "a@b.c", gone: 1 }, { role: "admin", email: "a@b.c", added: [1] }),
    ).toEqual([
      { field: "role", before: "support", after: "admin", changed: true },
      { field: "email", before: "a@b.c", after: "a@b.c", changed: false },
      { field: "gone", before: "1", after: null, changed: true },
      { field: "added", before: null, after: "[1]", changed: true },
    ]);
  });

  it("treats a missing side (a creation) as no fields", () => {
    expect(diffRows(null, { enabled: true })).toEqual([
      { field: "enabled", before: null, after: "true", changed: true },
    ]);
  });

  it("tells a null value from an absent field", () => {
    expect(diffRows({ disabledReason: null }, { disabledReason: "fraud" })).toEqual([
      { field: "disabledReason", before: "null", after: "fraud", changed: true },
    ]);
  });

  it("gives up on values that are not objects, for the side-by-side view", () => {
    expect(diffRows([1], [2])).toBeNull();
    expect(diffRows("a", { b: 1 })).toBeNull();
  });

  it("shows nested values as compact JSON", () => {
    expect(showValue({ a: [1, "x"] })).toBe('{"a":[1,"x"]}');
  });
});
