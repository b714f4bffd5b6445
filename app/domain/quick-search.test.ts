import { describeKinds, recogniseQuickSearch, selectiveFragment } from "./quick-search";

const kindsOf = (text: string) => {
  const outcome = recogniseQuickSearch(text);
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.search && { kinds: outcome.search.kinds, values: outcome.search.values };
};

describe("recogniseQuickSearch", () => {
  it("reads 4 digits as the card's last 4, a paymentId, part of an orderId, an rrn or an amount", () => {
    expect(kindsOf(" 4242 ")).toEqual({
      kinds: ["cardNumber", "paymentId", "orderId", "rrn", "amount"],
      values: { cardNumber: "4242", paymentId: 4242, orderId: "4242", rrn: "4242", amount: 424200000n },
    });
  });

  it("reads a masked card as its last 4 only", () => {
    for (const text of ["•••• 4242", "**** 4242", "411111******4242", "xxxx4242"]) {
      expect(kindsOf(text), text).toEqual({ kinds: ["cardNumber"], values: { cardNumber: "4242" } });
    }
  });

  it("reads other digits as a paymentId, part of an orderId, an rrn or an amount; too long for an id or an amount: orderId or rrn", () => {
    expect(kindsOf("612300001234")?.kinds).toEqual(["paymentId", "orderId", "rrn", "amount"]);
    expect(kindsOf("612300001234")?.values.paymentId).toBe(612300001234);
    expect(kindsOf("12345678901234567890")?.kinds).toEqual(["orderId", "rrn"]);
    expect(kindsOf("0042")?.kinds).toEqual(["cardNumber", "orderId", "rrn"]);
    expect(kindsOf("002997")).toEqual({ kinds: ["orderId", "rrn"], values: { orderId: "002997", rrn: "002997" } });
  });

  it("reads an orderId in lower case, so that it matches in any case", () => {
    expect(kindsOf("ORD-2026-0042")).toEqual({
      kinds: ["orderId", "rrn"],
      values: { orderId: "ord-2026-0042", rrn: "ORD-2026-0042" },
    });
    expect(kindsOf("   ")).toBeNull();
  });

  it("reads an amount as people type it", () => {
    for (const text of ["2 596,50", "2\u00a0596,50", "2596,50", "2596.50"]) {
      expect(kindsOf(text)?.values.amount, text).toBe(259650000n);
      expect(kindsOf(text)?.kinds, text).toContain("amount");
    }
    expect(kindsOf("2596")?.values.amount).toBe(259600000n);
    expect(kindsOf("ORD-1")?.kinds).not.toContain("amount");
    expect(kindsOf("0,00")?.kinds).not.toContain("amount");
  });

  it("refuses control characters and very long text", () => {
    expect(recogniseQuickSearch("a\u0000b").ok).toBe(false);
    expect(recogniseQuickSearch("x".repeat(201)).ok).toBe(false);
  });

  it("names the kinds it tried", () => {
    expect(describeKinds(["paymentId", "orderId", "rrn"])).toBe("paymentId, orderId or rrn");
    expect(describeKinds(["cardNumber"])).toBe("card last 4");
  });
});

describe("selectiveFragment: the longest run of letters and digits, from 3 characters", () => {
  it.each([
    ["ord-2026-500000", "500000"],
    ["kari.nordmann@example.no", "nordmann"],
    ["002997", "002997"],
    ["blåbær-1", "blåbær"],
    ["a-b-c", null],
  ])("of %j is %j", (typed, fragment) => {
    expect(selectiveFragment(typed)).toBe(fragment);
  });
});
