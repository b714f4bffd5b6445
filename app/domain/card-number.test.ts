import { containsCardNumber, findCardNumbers, maskCardNumbers, passesLuhn } from "./card-number";

/** The part of `text` each card number found covers. */
const found = (text: string) => findCardNumbers(text).map(({ start, end }) => text.slice(start, end));

describe("passesLuhn", () => {
  it.each([
    ["4111111111111111", true],
    ["378282246310005", true],
    ["5105105105105100", true],
    ["501800000009", true], // Maestro, 12 digits
    ["4111111111111111110", true], // 19 digits
    ["4111111111111112", false],
    ["123456789012", false],
    ["", false],
    ["4111 1111", false],
  ])("%s → %s", (digits, expected) => {
    expect(passesLuhn(digits)).toBe(expected);
  });
});

describe("findCardNumbers: what is a card number", () => {
  it.each([
    ["4111111111111111", "all together"],
    ["4111 1111 1111 1111", "groups of 4 with spaces"],
    ["4111-1111-1111-1111", "groups of 4 with dashes"],
    ["4111 1111-1111 1111", "mixed separators"],
    ["3782 822463 10005", "AMEX 4-6-5"],
    ["3056 930902 5904", "Diners 4-6-4"],
    ["4222 2222 2222 2", "13 digits, 4-4-4-1"],
    ["4111 1111 1111 1111 110", "19 digits, 4-4-4-4-3"],
    ["501800000009", "12 digits (Maestro)"],
    ["4111111111111111110", "19 digits"],
  ])("%s (%s)", (pan) => {
    // (A shorter reading inside it may pass Luhn too: "4222 2222 2222" is also a 12-digit number.)
    expect(found(pan)).toContain(pan);
  });

  it("finds one inside text, also touching letters or punctuation", () => {
    expect(found("refund to card 4111 1111 1111 1111, please")).toEqual(["4111 1111 1111 1111"]);
    expect(found("ORD4111111111111111")).toEqual(["4111111111111111"]);
    expect(found("ORDER-4111111111111111-2")).toEqual(["4111111111111111"]);
    expect(found('{"pan":"5105105105105100"}')).toEqual(["5105105105105100"]);
    expect(found("x 4111111111111111 y 5555555555554444")).toEqual(["4111111111111111", "5555555555554444"]);
    // A card number after an unrelated group is still found: its groups are read on their own.
    expect(found("7 4111 1111 1111 1111")).toEqual(["4111 1111 1111 1111"]);
  });

  it("does not count Luhn-invalid numbers, or too few or too many digits", () => {
    expect(found("4111111111111112")).toEqual([]);
    expect(found("4111 1111 1111 1112")).toEqual([]);
    expect(found("41111111111")).toEqual([]); // 11 digits
    expect(found("41111111111111111110")).toEqual([]); // 20 digits: part of a longer run, not a card
  });
});

describe("findCardNumbers: ordinary text is left alone", () => {
  it.each([
    ["an amount", "1234567890123.12"],
    ["amounts", "100.00 and 0.12345 NOK"],
    ["a date and a timestamp", "2026-11-21 10:15:30 and 2026-11-21T10:15:30.123Z"],
    // 1006-2026-11-21 would be a Luhn-valid 12-digit run, but dates are not printed like cards.
    ["a settlement id with a date", "EJ-1006-2026-11-21-web"],
    // "100234 100236" run together passes Luhn; ids in groups of 6 are not a card layout.
    ["a list of ids", "duplicate of payments 100234 100236"],
    ["an order id", "ORD-2026-000123"],
    ["an RRN that fails Luhn", "123456789012"],
    ["a phone number", "+47 412 34 567"],
    ["a Swedish personal number", "19900101-1234"],
    ["a UUID", "f47ac10b-58cc-4372-a567-0e02b2c3d479"],
    // Its last group, 12 digits on their own, passes Luhn: a UUID is an id nonetheless.
    ["a UUID whose digits pass Luhn", "01234567-1234-4123-8123-501800000009"],
    ["a masked PAN", "411111******1111"],
    ["a short number", "customer 200001, invoice 7435367"],
  ])("%s: %s", (_what, text) => {
    expect(findCardNumbers(text)).toEqual([]);
    expect(containsCardNumber(text)).toBe(false);
  });
});

describe("maskCardNumbers", () => {
  it("keeps the last 4 digits and the separators, and nothing else of the number", () => {
    expect(maskCardNumbers("4111111111111111")).toBe("************1111");
    expect(maskCardNumbers("pan 4111 1111 1111 1111.")).toBe("pan **** **** **** 1111.");
    expect(maskCardNumbers('{"x":"3782-822463-10005"}')).toBe('{"x":"****-******-*0005"}');
  });

  it("leaves text without a card number as it is", () => {
    const text = "order ORD-2026-000123 of 100.00 NOK, f47ac10b-58cc-4372-a567-0e02b2c3d479";
    expect(maskCardNumbers(text)).toBe(text);
  });

  it("masks every card number of a text", () => {
    expect(maskCardNumbers("a 4111111111111111 b 5105-1051-0510-5100")).toBe(
      "a ************1111 b ****-****-****-5100",
    );
  });
});
