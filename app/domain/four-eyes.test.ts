import { describe, expect, it } from "vitest";
import { fourEyesRefusal, needsSecondStaffUser, type FourEyesExecutor } from "./four-eyes";
import { money } from "./money";

const thresholds = new Map([["NOK", money("10000")]]);
const credit = (amount: string, currency = "NOK", createdByStaffUserId: string | null = "anna") => ({
  totalCreditAmount: money(amount),
  currency,
  createdByStaffUserId,
});
const staff = (userId: string): FourEyesExecutor => ({ kind: "staff", userId });
const client: FourEyesExecutor = { kind: "client", privileged: false };
const privilegedClient: FourEyesExecutor = { kind: "client", privileged: true };
const system: FourEyesExecutor = { kind: "system" };

describe("four-eyes rule", () => {
  it("needs a second pair of eyes strictly above the threshold of the credit's currency", () => {
    expect(needsSecondStaffUser(credit("10000.00"), thresholds)).toBe(false);
    expect(needsSecondStaffUser(credit("10000.00001"), thresholds)).toBe(true);
  });

  it("treats a currency without a threshold as needing a second pair of eyes for any amount", () => {
    expect(needsSecondStaffUser(credit("0.01", "SEK"), thresholds)).toBe(true);
    expect(fourEyesRefusal(credit("0.01", "SEK"), staff("anna"), thresholds)).toMatch(
      /no four-eyes threshold is set for SEK/,
    );
    expect(fourEyesRefusal(credit("0.01", "SEK", null), client, thresholds)).toMatch(
      /needs four eyes: no four-eyes threshold is set for SEK/,
    );
  });

  it("refuses only the staff creator among staff users", () => {
    expect(fourEyesRefusal(credit("12000.00"), staff("anna"), thresholds)).toMatch(
      /You created this credit of 12000.00 NOK.*threshold of 10000.00 NOK/,
    );
    expect(fourEyesRefusal(credit("12000.00"), staff("bert"), thresholds)).toBeNull();
    expect(fourEyesRefusal(credit("9000.00"), staff("anna"), thresholds)).toBeNull();
  });

  it("refuses every API client, privileged or not, a staff user's credit above the threshold", () => {
    for (const executor of [client, privilegedClient]) {
      expect(fourEyesRefusal(credit("12000.00"), executor, thresholds)).toMatch(
        /created by a staff user and is above the four-eyes threshold of 10000.00 NOK: another staff user must execute it/,
      );
      // At or below the threshold the rule does not apply.
      expect(fourEyesRefusal(credit("10000.00"), executor, thresholds)).toBeNull();
    }
  });

  it("lets a privileged API client execute an API credit above the threshold; any other client waits for staff", () => {
    const byClient = credit("50000.00", "NOK", null);
    expect(fourEyesRefusal(byClient, privilegedClient, thresholds)).toBeNull();
    expect(fourEyesRefusal(byClient, client, thresholds)).toMatch(
      /This credit of 50000.00 NOK is above the four-eyes threshold of 10000.00 NOK: a staff user must execute it/,
    );
    expect(fourEyesRefusal(credit("10000.00", "NOK", null), client, thresholds)).toBeNull();
  });

  it("lets any staff user execute a credit an API client created", () => {
    expect(fourEyesRefusal(credit("50000.00", "NOK", null), staff("anna"), thresholds)).toBeNull();
  });

  it("does not bind the system", () => {
    expect(fourEyesRefusal(credit("50000.00"), system, thresholds)).toBeNull();
    expect(fourEyesRefusal(credit("50000.00", "SEK", null), system, thresholds)).toBeNull();
  });
});
