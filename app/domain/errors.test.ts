import {
  conflict,
  DomainError,
  forbidden,
  invalid,
  invalidFields,
  notFound,
  providerUnavailable,
  ruleBroken,
  STATUS_OF_KIND,
  type DomainErrorKind,
} from "./errors";

describe("DomainError", () => {
  it.each([
    ["invalid", 400],
    ["forbidden", 403],
    ["not_found", 404],
    ["conflict", 409],
    ["rule", 422],
    ["declined", 422],
    ["unavailable", 503],
  ] as const)("a %s error answers %i", (kind: DomainErrorKind, status) => {
    expect(new DomainError(kind, "x").status).toBe(status);
    expect(STATUS_OF_KIND[kind]).toBe(status);
  });

  it("has one status for each kind and no other kind", () => {
    expect(Object.keys(STATUS_OF_KIND).sort()).toEqual([
      "conflict",
      "declined",
      "forbidden",
      "invalid",
      "not_found",
      "rule",
      "unavailable",
    ]);
  });

  it("says a provider that did not answer is a 503 with errorReason PROVIDER_UNAVAILABLE", () => {
    expect(providerUnavailable()).toMatchObject({
      kind: "unavailable",
      status: 503,
      errorReason: "PROVIDER_UNAVAILABLE",
    });
  });

  it("is an Error named DomainError, with no field errors and no errorReason unless given", () => {
    const error = new DomainError("conflict", "the payment is deactivated");
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("DomainError");
    expect(error.message).toBe("the payment is deactivated");
    expect(error.errors).toEqual([]);
    expect(error.errorReason).toBeUndefined();
  });

  it("nestedUnder puts the parent's name in front of every field and keeps kind, message and errorReason", () => {
    const error = new DomainError("declined", "refused", {
      errors: [
        { field: "amount", message: "too big" },
        { field: "card.number", message: "bad" },
      ],
      errorReason: "REFUSED_BY_ISSUER",
    });
    const nested = error.nestedUnder("transaction");
    expect(nested).toBeInstanceOf(DomainError);
    expect(nested).not.toBe(error);
    expect(nested.kind).toBe("declined");
    expect(nested.message).toBe("refused");
    expect(nested.errorReason).toBe("REFUSED_BY_ISSUER");
    expect(nested.errors).toEqual([
      { field: "transaction.amount", message: "too big" },
      { field: "transaction.card.number", message: "bad" },
    ]);
    // The original is unchanged.
    expect(error.errors[0].field).toBe("amount");
  });
});

describe("the error makers", () => {
  it("invalid names the field in the message and in the field errors", () => {
    const error = invalid("orderId", "must be at most 50 characters");
    expect(error.kind).toBe("invalid");
    expect(error.status).toBe(400);
    expect(error.message).toBe("orderId must be at most 50 characters");
    expect(error.errors).toEqual([{ field: "orderId", message: "must be at most 50 characters" }]);
  });

  it("invalidFields joins every field's message and keeps them all", () => {
    const errors = [
      { field: "a", message: "is required" },
      { field: "b", message: "is too long" },
    ];
    const error = invalidFields(errors);
    expect(error.kind).toBe("invalid");
    expect(error.message).toBe("a is required; b is too long");
    expect(error.errors).toEqual(errors);
  });

  it("notFound says what was not found, by its id", () => {
    const error = notFound("payment", 42);
    expect(error.kind).toBe("not_found");
    expect(error.status).toBe(404);
    expect(error.message).toBe("payment 42 was not found");
  });

  it("conflict carries an errorReason when given", () => {
    expect(conflict("busy", "RESOURCE_BUSY")).toMatchObject({ kind: "conflict", errorReason: "RESOURCE_BUSY" });
    expect(conflict("not capturable").errorReason).toBeUndefined();
    expect(conflict("x").status).toBe(409);
  });

  it("ruleBroken names the field to blame when there is one", () => {
    expect(ruleBroken("exceeds what is creditable", "amount").errors).toEqual([
      { field: "amount", message: "exceeds what is creditable" },
    ]);
    const withoutField = ruleBroken("too late");
    expect(withoutField.errors).toEqual([]);
    expect(withoutField.status).toBe(422);
  });

  it("forbidden answers 403", () => {
    const error = forbidden("not your organisation");
    expect(error.kind).toBe("forbidden");
    expect(error.status).toBe(403);
  });
});
