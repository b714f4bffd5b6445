import { DEFAULT_PAYMENT_SORT, PAYMENT_SORT_KEYS, readSort } from "./payment-sort";

const sortOf = (query: string) => readSort(new URLSearchParams(query));

describe("readSort", () => {
  it("defaults to newest first, the API's order", () => {
    expect(DEFAULT_PAYMENT_SORT).toEqual({ key: "createdAt", direction: "desc" });
    expect(sortOf("")).toEqual(DEFAULT_PAYMENT_SORT);
  });

  it("reads every sort key in both directions", () => {
    for (const key of PAYMENT_SORT_KEYS) {
      expect(sortOf(`sort=${key}&dir=asc`)).toEqual({ key, direction: "asc" });
      expect(sortOf(`sort=${key}&dir=desc`)).toEqual({ key, direction: "desc" });
    }
  });

  it("sorts descending when no direction is given", () => {
    expect(sortOf("sort=totalAmount")).toEqual({ key: "totalAmount", direction: "desc" });
  });

  it("shows the default order for an unknown key or direction, as a bad page number shows page 1", () => {
    expect(sortOf("sort=customerNumber&dir=asc")).toEqual({ key: "createdAt", direction: "asc" });
    expect(sortOf("sort=paymentId&dir=up")).toEqual({ key: "paymentId", direction: "desc" });
    expect(sortOf("sort=&dir=")).toEqual(DEFAULT_PAYMENT_SORT);
  });
});
