import { money } from "./money";
import { awaitsConfirmation, canCharge, canStop, chargeLimit, priceProblem, readPricing } from "./agreement";

describe("agreement statuses", () => {
  it("awaits confirmation while CREATED or PENDING", () => {
    expect(["CREATED", "PENDING", "ACTIVE", "STOPPED", "EXPIRED"].filter(awaitsConfirmation)).toEqual([
      "CREATED",
      "PENDING",
    ]);
  });

  it("can be stopped from CREATED, PENDING and ACTIVE; not from STOPPED (idempotent) or EXPIRED (final)", () => {
    expect(["CREATED", "PENDING", "ACTIVE", "STOPPED", "EXPIRED"].filter(canStop)).toEqual([
      "CREATED",
      "PENDING",
      "ACTIVE",
    ]);
  });

  it("is charged only when ACTIVE", () => {
    expect(["CREATED", "PENDING", "ACTIVE", "STOPPED", "EXPIRED"].filter(canCharge)).toEqual(["ACTIVE"]);
  });
});

describe("readPricing", () => {
  it("reads the two models, amounts as Money, NOK by default", () => {
    expect(readPricing({ type: "LEGACY", amount: "99.00", currency: "SEK" })).toEqual({
      type: "LEGACY",
      amount: money("99"),
      currency: "SEK",
    });
    expect(readPricing({ type: "VARIABLE", suggestedMaxAmount: "500.00" })).toEqual({
      type: "VARIABLE",
      suggestedMaxAmount: money("500"),
      currency: "NOK",
    });
  });

  it("is null for anything else", () => {
    for (const stored of [null, "x", 3, {}, { type: "LEGACY" }, { type: "LEGACY", amount: 5 }, { type: "OTHER" }])
      expect(readPricing(stored)).toBeNull();
    expect(readPricing({ type: "VARIABLE", suggestedMaxAmount: "-1" })).toBeNull();
  });
});

describe("the price per charge", () => {
  const legacy = { type: "LEGACY" as const, amount: money("99"), currency: "NOK" };
  const variable = { type: "VARIABLE" as const, suggestedMaxAmount: money("500"), currency: "NOK" };

  it("is the LEGACY price, or the VARIABLE suggested maximum", () => {
    expect(chargeLimit(legacy)).toEqual({ max: money("99"), currency: "NOK" });
    expect(chargeLimit(variable)).toEqual({ max: money("500"), currency: "NOK" });
  });

  it("allows charges up to the limit in the pricing's currency", () => {
    expect(priceProblem(legacy, money("99"), "NOK")).toBeNull();
    expect(priceProblem(legacy, money("1"), "NOK")).toBeNull();
    expect(priceProblem(legacy, money("99.00001"), "NOK")).toBe("amount");
    expect(priceProblem(variable, money("500"), "NOK")).toBeNull();
    expect(priceProblem(variable, money("1"), "SEK")).toBe("currency");
  });
});
