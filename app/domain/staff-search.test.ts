import { describe, expect, it } from "vitest";
import { recogniseStaffSearch } from "./staff-search";

const read = (text: string) => {
  const outcome = recogniseStaffSearch(text);
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.search;
};

describe("recogniseStaffSearch", () => {
  it("tries digits as a credit id and a customer number too", () => {
    const search = read("200001")!;
    expect(search.creditId).toBe(200001);
    expect(search.customers.customerNumber).toBe("200001");
    expect(search.payments.kinds).toContain("paymentId");
  });

  it("reads text as an email or a name, in lower case and by words", () => {
    const search = read("  Kari  Nordmann ")!;
    expect(search.text).toBe("Kari  Nordmann");
    expect(search.creditId).toBeNull();
    expect(search.customers).toEqual({ customerNumber: null, lowered: "kari  nordmann", words: ["kari", "nordmann"] });
  });

  it("is no search when blank, and refuses what the payments search refuses", () => {
    expect(read("  ")).toBeNull();
    expect(recogniseStaffSearch("a\u0000b").ok).toBe(false);
    expect(recogniseStaffSearch("x".repeat(201)).ok).toBe(false);
  });

  it("keeps a leading zero out of the ids", () => {
    const search = read("0042")!;
    expect(search.creditId).toBeNull();
    expect(search.customers.customerNumber).toBe("0042");
  });
});
