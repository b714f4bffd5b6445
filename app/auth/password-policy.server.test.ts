import { describe, expect, it } from "vitest";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem } from "./password-policy.server";

describe("the staff password rule", () => {
  it.each([
    ["1234567890", /at least 12/],
    ["short", /at least 12/],
    ["x".repeat(MAX_PASSWORD_LENGTH + 1), /at most 128/],
    ["x".repeat(5000), /at most 128/],
    // On the shipped list (the top of the 10-million list), whatever the case.
    ["123qweasdzxc", /common passwords/],
    ["Password1234", /common passwords/],
    ["QWERTY123456", /common passwords/],
    ["xxxxxxxxxxxx", /common passwords/],
  ])("refuses %j", (password, message) => {
    expect(passwordProblem(password)).toMatch(message);
  });

  it.each([
    "correct-horse-battery",
    "tindved-" + "k".repeat(MIN_PASSWORD_LENGTH - 8),
    "y".repeat(MAX_PASSWORD_LENGTH),
    // Characters, not UTF-16 units: twelve emoji are twelve characters.
    "🐴".repeat(12),
    "finance-demo-2026",
  ])("accepts %j", (password) => {
    expect(passwordProblem(password)).toBeNull();
  });

  it("counts characters, not UTF-16 units, at the upper bound too", () => {
    expect(passwordProblem("🐴".repeat(MAX_PASSWORD_LENGTH))).toBeNull();
    expect(passwordProblem("🐴".repeat(MAX_PASSWORD_LENGTH + 1))).toMatch(/at most/);
  });
});
