import { describe, expect, it } from "vitest";
import { fourEyesRefusal, needsSecondStaffUser } from "./four-eyes";
import { money } from "./money";

const thresholds = new Map([["NOK", money("10000")]]);
const credit = (amount: string, currency = "NOK", createdByStaffUserId: string | null = "anna") => ({
  totalCreditAmount: money(amount),
  currency,
  createdByStaffUserId,
});

describe("four-eyes rule", () => {
  it("needs a second staff user strictly above the threshold of the credit's currency", () => {
    expect(needsSecondStaffUser(credit("10000.00"), thresholds)).toBe(false);
    expect(needsSecondStaffUser(credit("10000.00001"), thresholds)).toBe(true);
  });

  it("treats a currency without a threshold as needing a second staff user for any amount", () => {
    expect(needsSecondStaffUser(credit("0.01", "SEK"), thresholds)).toBe(true);
    expect(fourEyesRefusal(credit("0.01", "SEK"), "anna", thresholds)).toMatch(/no four-eyes threshold is set for SEK/);
  });

  it("refuses only the creator of a credit above the threshold", () => {
    expect(fourEyesRefusal(credit("12000.00"), "anna", thresholds)).toMatch(
      /You created this credit of 12000.00 NOK.*threshold of 10000.00 NOK/,
    );
    expect(fourEyesRefusal(credit("12000.00"), "bert", thresholds)).toBeNull();
    expect(fourEyesRefusal(credit("9000.00"), "anna", thresholds)).toBeNull();
  });

  it("does not apply to credits an API client created", () => {
    expect(fourEyesRefusal(credit("50000.00", "NOK", null), "anna", thresholds)).toBeNull();
  });
});
