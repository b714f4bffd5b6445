import {
  ACTOR_TYPES,
  AGREEMENT_STATUSES,
  CREDIT_STATUSES,
  CREDIT_TRANSACTION_STATUSES,
  ERROR_REASONS,
  OPERATIONS,
  PAYMENT_TYPE_GROUP_OF,
  PAYMENT_TYPE_GROUPS,
  PAYMENT_TYPES,
  RECURRING_STATUSES,
  SCA_EXEMPTIONS,
  TRANSACTION_STATUSES,
} from "./enums";

describe("payment types and their groups", () => {
  it.each([
    ["VISA", "PAYMENTCARD"],
    ["MASTERCARD", "PAYMENTCARD"],
    ["AMEX", "PAYMENTCARD"],
    ["VIPPS", "MOBILE"],
    ["MOBILEPAY", "MOBILE"],
    ["COLLECTOR", "INVOICE"],
    ["COLLECTOR_B2B", "INVOICE"],
    ["GIFTCARD", "GIFTCARD"],
    ["ECARD", "ECARD"],
    ["CASH", "CASH"],
    ["AGENT", "AGENT"],
  ] as const)("%s belongs to %s", (type, group) => {
    expect(PAYMENT_TYPE_GROUP_OF[type]).toBe(group);
  });

  it("lists every payment type once, each in exactly one known group", () => {
    expect(PAYMENT_TYPES).toHaveLength(11);
    expect(new Set(PAYMENT_TYPES).size).toBe(PAYMENT_TYPES.length);
    for (const type of PAYMENT_TYPES) expect(PAYMENT_TYPE_GROUPS).toContain(PAYMENT_TYPE_GROUP_OF[type]);
  });

  it("has no empty group: every group has at least one payment type", () => {
    const used = new Set(Object.values(PAYMENT_TYPE_GROUP_OF));
    expect([...PAYMENT_TYPE_GROUPS].sort()).toEqual([...used].sort());
  });
});

describe("the value lists", () => {
  it.each([
    [
      "transaction statuses",
      TRANSACTION_STATUSES,
      ["CREATED", "INITIATED", "AUTHORIZED", "CAPTURED", "CREDITED", "CANCELLED"],
    ],
    ["operations", OPERATIONS, ["CREATE", "INITIATE", "AUTHORIZE", "CAPTURE", "CANCEL", "CREDIT", "IMPORT", "UPDATE"]],
    ["credit statuses", CREDIT_STATUSES, ["CREATED", "CREDITED"]],
    ["credit transaction statuses", CREDIT_TRANSACTION_STATUSES, ["CREATED", "CREDITED", "FAILED"]],
    ["recurring statuses", RECURRING_STATUSES, ["CREATED", "ACTIVE", "EXPIRED", "CANCELLED"]],
    ["agreement statuses", AGREEMENT_STATUSES, ["CREATED", "PENDING", "ACTIVE", "STOPPED", "EXPIRED"]],
    ["SCA exemptions", SCA_EXEMPTIONS, ["NO_EXEMPTION", "LOW_VALUE"]],
    [
      "error reasons",
      ERROR_REASONS,
      ["SOFT_DECLINE", "REFUSED_BY_ISSUER", "RESOURCE_BUSY", "PROVIDER_UNAVAILABLE", "FOUR_EYES_REQUIRED"],
    ],
    ["actor types", ACTOR_TYPES, ["CLIENT", "STAFF", "SYSTEM", "CUSTOMER"]],
  ] as const)("%s are exactly the documented values, without duplicates", (_name, list, expected) => {
    expect([...list]).toEqual([...expected]);
    expect(new Set(list).size).toBe(list.length);
  });

  it("starts every lifecycle in CREATED", () => {
    for (const list of [
      TRANSACTION_STATUSES,
      CREDIT_STATUSES,
      CREDIT_TRANSACTION_STATUSES,
      RECURRING_STATUSES,
      AGREEMENT_STATUSES,
    ])
      expect(list[0]).toBe("CREATED");
  });
});
