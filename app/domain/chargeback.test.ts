import * as chargeback from "./chargeback";
import { money } from "./money";
import { creditableAmount } from "./transaction";
import { domainError as error, ruleRefusal } from "../../tests/support/domain-errors";

describe("a chargeback's states", () => {
  it("holds its amount while OPEN and once LOST; a WON one gives it back", () => {
    expect(chargeback.holdsAmount("OPEN")).toBe(true);
    expect(chargeback.holdsAmount("LOST")).toBe(true);
    expect(chargeback.holdsAmount("WON")).toBe(false);
  });

  it("is decided once, from OPEN only", () => {
    expect(() => chargeback.requireOpen({ chargebackId: 7, status: "OPEN" })).not.toThrow();
    for (const status of ["WON", "LOST"] as const) {
      expect(() => chargeback.requireOpen({ chargebackId: 7, status })).toThrow(
        error({ kind: "conflict", message: `Chargeback 7 is already ${status}; only an OPEN one changes` }),
      );
    }
  });

  it("WON releases the hold, LOST keeps it and moves volume", () => {
    expect(chargeback.chargedBackAfterDecision("WON", money("70"), money("30.5"))).toBe(money("39.5"));
    expect(chargeback.chargedBackAfterDecision("LOST", money("70"), money("30.5"))).toBe(money("70"));
    expect(chargeback.movesVolume("LOST")).toBe(true);
    expect(chargeback.movesVolume("WON")).toBe(false);
  });
});

describe("a new chargeback", () => {
  const captured = { transactionId: 3, status: "CAPTURED" as const, creditable: money("100") };

  it("takes at most what credits and other chargebacks leave of the captured amount", () => {
    expect(() => chargeback.requireChargeable({ ...captured, amount: money("100") })).not.toThrow();
    expect(() => chargeback.requireChargeable({ ...captured, amount: money("100.00001") })).toThrow(
      ruleRefusal("amount", "amount 100.00001 exceeds what credits and chargebacks leave of transaction 3 (100.00)"),
    );
  });

  it("together with credits never exceeds what was captured", () => {
    // 100 captured, 40 credited, 20 reserved by an open credit, 30 held by an earlier chargeback.
    const creditable = creditableAmount({
      captured: money("100"),
      credited: money("40"),
      reserved: money("20"),
      chargedBack: money("30"),
    });
    expect(creditable).toBe(money("10"));
    expect(() => chargeback.requireChargeable({ ...captured, creditable, amount: money("10") })).not.toThrow();
    expect(() => chargeback.requireChargeable({ ...captured, creditable, amount: money("10.01") })).toThrow(
      error({ kind: "rule" }),
    );
  });

  it("needs a CAPTURED transaction with something left", () => {
    expect(() => chargeback.requireChargeable({ ...captured, status: "AUTHORIZED", amount: money("1") })).toThrow(
      error({ kind: "conflict", message: "Only a CAPTURED transaction can be charged back; this one is AUTHORIZED" }),
    );
    expect(() => chargeback.requireChargeable({ ...captured, status: "CREDITED", amount: money("1") })).toThrow(
      error({ kind: "conflict", message: expect.stringContaining("fully credited") }),
    );
    expect(() => chargeback.requireChargeable({ ...captured, creditable: money("0"), amount: money("1") })).toThrow(
      error({ kind: "conflict", message: expect.stringContaining("Nothing is left") }),
    );
  });

  it("is in the transaction's currency", () => {
    expect(() => chargeback.requireChargebackCurrency("NOK", "NOK")).not.toThrow();
    expect(() => chargeback.requireChargebackCurrency("SEK", "NOK")).toThrow(ruleRefusal("currency"));
  });

  it("has a due date that is a real day, or none", () => {
    expect(() => chargeback.requireDueDate(null)).not.toThrow();
    expect(() => chargeback.requireDueDate("2026-12-31")).not.toThrow();
    for (const bad of ["2026-02-30", "31.12.2026", "2026-1-5", ""]) {
      expect(() => chargeback.requireDueDate(bad)).toThrow(ruleRefusal("dueDate"));
    }
  });
});
