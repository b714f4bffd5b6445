import {
  effectiveRecurringStatus,
  isPrimaryCard,
  isPrimaryWhenCreated,
  isUsableCard,
  primaryOf,
  RECURRING_MAX_YEARS,
  recurringChangeProblem,
  recurringExpiry,
  successorPrimary,
  takesOverPrimary,
} from "./recurring";

const now = new Date("2026-03-01T12:00:00Z");
const past = new Date("2026-02-01T00:00:00Z");
const future = new Date("2027-01-01T00:00:00Z");

describe("expiry", () => {
  it("reads an ACTIVE card past its expiresAt as EXPIRED, whatever the row holds", () => {
    expect(effectiveRecurringStatus({ recurringStatus: "ACTIVE", expiresAt: future }, now)).toBe("ACTIVE");
    expect(effectiveRecurringStatus({ recurringStatus: "ACTIVE", expiresAt: now }, now)).toBe("EXPIRED");
    expect(effectiveRecurringStatus({ recurringStatus: "ACTIVE", expiresAt: past }, now)).toBe("EXPIRED");
    expect(effectiveRecurringStatus({ recurringStatus: "ACTIVE", expiresAt: null }, now)).toBe("ACTIVE");
    expect(effectiveRecurringStatus({ recurringStatus: "CANCELLED", expiresAt: past }, now)).toBe("CANCELLED");
    expect(effectiveRecurringStatus({ recurringStatus: "CREATED", expiresAt: null }, now)).toBe("CREATED");
  });

  it("charges only an ACTIVE, unexpired card", () => {
    expect(isUsableCard({ recurringStatus: "ACTIVE", expiresAt: future }, now)).toBe(true);
    expect(isUsableCard({ recurringStatus: "ACTIVE", expiresAt: past }, now)).toBe(false);
    expect(isUsableCard({ recurringStatus: "CREATED", expiresAt: null }, now)).toBe(false);
    expect(isUsableCard({ recurringStatus: "CANCELLED", expiresAt: future }, now)).toBe(false);
  });

  it("expires with the card, or after the maximum age, whichever is first: never after cardExpiresAt", () => {
    expect(RECURRING_MAX_YEARS).toBe(3);
    const soon = new Date("2027-06-30T23:59:59Z");
    expect(recurringExpiry(soon, now)).toEqual(soon);
    const late = new Date("2035-01-31T23:59:59Z");
    expect(recurringExpiry(late, now)).toEqual(new Date("2029-03-01T12:00:00Z"));
    for (const cardExpiresAt of [soon, late, now])
      expect(recurringExpiry(cardExpiresAt, now).getTime()).toBeLessThanOrEqual(cardExpiresAt.getTime());
  });
});

describe("the one primary", () => {
  const card = (
    recurringPaymentId: number,
    recurringStatus: string,
    isPrimary = false,
    expiresAt: Date | null = null,
  ) => ({
    recurringPaymentId,
    recurringStatus,
    isPrimary,
    expiresAt,
    createdAt: new Date(Date.UTC(2026, 0, recurringPaymentId)),
  });

  it("is nobody's once ended", () => {
    expect(isPrimaryCard(card(1, "ACTIVE", true))).toBe(true);
    expect(isPrimaryCard(card(1, "CANCELLED", true))).toBe(false);
    expect(isPrimaryCard(card(1, "ACTIVE", false))).toBe(false);
    expect(primaryOf([card(1, "CANCELLED", true), card(2, "ACTIVE", true)])?.recurringPaymentId).toBe(2);
    expect(primaryOf([card(1, "CANCELLED", true)])).toBeUndefined();
  });

  it("is the customer's first card whatever was asked, and a later one only when asked", () => {
    expect(isPrimaryWhenCreated([], false)).toBe(true);
    expect(isPrimaryWhenCreated([card(1, "CANCELLED", true)], undefined)).toBe(true);
    expect(isPrimaryWhenCreated([card(1, "ACTIVE", true)], undefined)).toBe(false);
    expect(isPrimaryWhenCreated([card(1, "ACTIVE", true)], false)).toBe(false);
    expect(isPrimaryWhenCreated([card(1, "ACTIVE", true)], true)).toBe(true);
  });

  it("passes, when the primary is ended, to a usable card, then a CREATED one, then an expired one; newest first", () => {
    expect(successorPrimary([], now)).toBeNull();
    expect(successorPrimary([card(1, "CANCELLED")], now)).toBeNull();
    expect(
      successorPrimary([card(1, "ACTIVE", false, past), card(2, "CREATED"), card(3, "ACTIVE", false, future)], now),
    ).toBe(3);
    expect(successorPrimary([card(1, "ACTIVE", false, past), card(2, "CREATED")], now)).toBe(2);
    expect(successorPrimary([card(1, "ACTIVE", false, past), card(2, "CANCELLED")], now)).toBe(1);
    expect(successorPrimary([card(4, "ACTIVE", false, future), card(5, "ACTIVE", false, future)], now)).toBe(5);
    const sameDay = { ...card(6, "CREATED"), createdAt: card(7, "CREATED").createdAt };
    expect(successorPrimary([card(7, "CREATED"), sameDay], now)).toBe(7);
  });

  it("cannot be given up without naming another; an ended card cannot change; an expired one cannot become primary", () => {
    expect(recurringChangeProblem(card(1, "ACTIVE", true, future), { isPrimary: false }, now)).toMatchObject({
      kind: "rule",
    });
    expect(recurringChangeProblem(card(1, "CANCELLED"), {}, now)).toMatchObject({ kind: "conflict" });
    expect(recurringChangeProblem(card(1, "ACTIVE", false, past), { isPrimary: true }, now)).toMatchObject({
      kind: "conflict",
    });
    expect(recurringChangeProblem(card(1, "ACTIVE", true, past), { isPrimary: true }, now)).toBeNull();
    expect(recurringChangeProblem(card(1, "ACTIVE", false, future), { isPrimary: true }, now)).toBeNull();
    expect(recurringChangeProblem(card(1, "ACTIVE", false, future), { isPrimary: false }, now)).toBeNull();
    expect(recurringChangeProblem(card(1, "CREATED"), {}, now)).toBeNull();
  });

  it("is taken over by a newly usable card when the primary cannot be charged", () => {
    const fresh = { recurringPaymentId: 9 };
    expect(takesOverPrimary(undefined, fresh, now)).toBe(true);
    expect(takesOverPrimary(card(1, "CREATED", true), fresh, now)).toBe(true);
    expect(takesOverPrimary(card(1, "ACTIVE", true, past), fresh, now)).toBe(true);
    expect(takesOverPrimary(card(1, "ACTIVE", true, future), fresh, now)).toBe(false);
    expect(takesOverPrimary(card(9, "CREATED", true), fresh, now)).toBe(false);
  });
});
