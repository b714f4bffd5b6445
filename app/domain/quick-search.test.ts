import { describeKinds, recogniseQuickSearch } from "./quick-search";

const kindsOf = (text: string) => {
  const outcome = recogniseQuickSearch(text);
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.search && { kinds: outcome.search.kinds, values: outcome.search.values };
};

describe("recogniseQuickSearch", () => {
  it("reads 4 digits as the card's last 4 or a paymentId", () => {
    expect(kindsOf(" 4242 ")).toEqual({
      kinds: ["cardNumber", "paymentId"],
      values: { cardNumber: "4242", paymentId: 4242 },
    });
  });

  it("reads a masked card as its last 4 only", () => {
    for (const text of ["•••• 4242", "**** 4242", "411111******4242", "xxxx4242"]) {
      expect(kindsOf(text), text).toEqual({ kinds: ["cardNumber"], values: { cardNumber: "4242" } });
    }
  });

  it("reads other digits as a paymentId, an orderId or an rrn; too long for an id: orderId or rrn", () => {
    expect(kindsOf("612300001234")?.kinds).toEqual(["paymentId", "orderId", "rrn"]);
    expect(kindsOf("612300001234")?.values.paymentId).toBe(612300001234);
    expect(kindsOf("12345678901234567890")?.kinds).toEqual(["orderId", "rrn"]);
    expect(kindsOf("0042")?.kinds).toEqual(["cardNumber"]);
    expect(kindsOf("00421")?.kinds).toEqual(["orderId", "rrn"]);
  });

  it("reads anything else as an orderId or an rrn, and nothing as no search", () => {
    expect(kindsOf("ORD-2026-0042")).toEqual({
      kinds: ["orderId", "rrn"],
      values: { orderId: "ORD-2026-0042", rrn: "ORD-2026-0042" },
    });
    expect(kindsOf("   ")).toBeNull();
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
