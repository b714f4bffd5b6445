// The staff form path says zod's checks, the forms' own words and the services' refusals in the
// staff user's language (ADR 042); English stays the words the forms always had.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { actionFailed, formErrors, sayIn } from "./action.server";
import { amount, choice, list, requiredText } from "./fields";
import { conflict, notFound, ruleBroken } from "../../domain/errors";

const form = z.object({
  name: requiredText(20),
  role: choice(["support", "finance"]),
  ids: list(z.string()).pipe(z.array(z.string()).max(1)),
  amount: amount(),
});

function errorsOf(input: Record<string, unknown>, language: "en" | "nb") {
  const parsed = form.safeParse(input);
  if (parsed.success) throw new Error("expected a refusal");
  return Object.fromEntries(formErrors(parsed.error, language).map((e) => [e.field, e.message]));
}

describe("formErrors", () => {
  const bad = { name: "a name that is too long", role: "boss", ids: ["1", "2"], amount: "1.2.3" };

  it.each([
    [
      "Norwegian",
      "nb",
      {
        name: "kan ha høyst 20 tegn",
        role: "må være en av support, finance",
        ids: "kan ha høyst 1 verdier",
        amount: "Skriv inn et beløp som 2 596,50",
      },
    ],
    [
      "English",
      "en",
      {
        name: "must be at most 20 characters",
        role: "must be one of support, finance",
        ids: "must have at most 1 values",
        amount: "Enter an amount like 2 596,50",
      },
    ],
  ] as const)("says zod's checks by their code and the forms' words by their key, in %s", (_, language, errors) => {
    expect(errorsOf(bad, language)).toEqual(errors);
  });

  it("says a card number in a name and a missing amount in Norwegian", () => {
    expect(errorsOf({ name: "4242424242424242", role: "support" }, "nb")).toMatchObject({
      name: "kan ikke inneholde et kortnummer",
      amount: "Skriv inn et beløp",
    });
  });

  it("says a missing name in English", () => {
    expect(errorsOf({ role: "support" }, "en")).toMatchObject({ name: "is required" });
  });
});

describe("a service's refusal on a staff form", () => {
  it("is said by its key, its decimals in the reader's number format", () => {
    const said = {
      key: "errors.credit.exceedsCreditable",
      values: { amount: "1600.00", creditable: "1500.00", transactionId: 7 },
    };
    expect(sayIn("nb", said)).toBe(
      "1\u00a0600,00 er mer enn beløpet 1\u00a0500,00 som kan krediteres på transaksjon 7",
    );
    expect(sayIn("en", said)).toBe("1,600.00 exceeds the creditable amount 1,500.00 of transaction 7");
  });

  it("names a status by its label, says a thing not found, and keeps English words where it has no key", async () => {
    const body = async (response: Response) => (await response.json()) as { message: string; fieldErrors: object };
    const refused = conflict("x", undefined, { key: "errors.credit.notCaptured", values: { status: "AUTHORIZED" } });
    expect((await body(actionFailed(refused, "credit", undefined, "nb"))).message).toBe(
      "Bare en BELASTET transaksjon kan krediteres; denne er RESERVERT",
    );
    expect((await body(actionFailed(notFound("Credit", 12), "execute", undefined, "nb"))).message).toBe(
      "Fant ikke kreditering 12",
    );
    const unkeyed = ruleBroken("totalAmount must be positive", "totalAmount");
    expect(await body(actionFailed(unkeyed, "x", undefined, "nb"))).toMatchObject({
      message: "totalAmount must be positive",
      fieldErrors: { totalAmount: "totalAmount must be positive" },
    });
  });
});
