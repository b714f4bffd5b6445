// The chargebacks list pages by keyset: walking `older` from the first page and `newer` back
// again visits every chargeback once, in the list's order (open ones first, soonest due first, no
// due date last, then newest), with a filter as without; a hand-made place is refused, not a 500.
import { money } from "../../domain/money";
import { capturedCardPayment } from "../../../tests/support/money-path";
import { useShop } from "../../../tests/support/fixtures-use-case";
import { staffCaller, useTestDatabase } from "../../../tests/support/use-case";
import { decideChargeback, openChargeback } from "../chargebacks/chargebacks.server";
import {
  listChargebacks,
  placeFromParam,
  placeToParam,
  type ChargebackCursor,
  type ChargebackFilter,
} from "./chargebacks.server";

const database = useTestDatabase();
const shop = useShop(database);
const finance = staffCaller({ reason: "Scheme notice" });
const EVERY: ChargebackFilter = { status: null, dueFrom: null, dueTo: null };

/** Every id of the list as one long page. */
const wholeList = async (filter: ChargebackFilter) =>
  (await listChargebacks(finance, { ...filter, cursor: null, perPage: 100 })).items.map((c) => c.chargebackId);

/** Pages of `perPage` towards older rows from the first page, then back towards newer ones. */
async function walk(filter: ChargebackFilter, perPage: number) {
  const forward: number[][] = [];
  let cursor: ChargebackCursor = null;
  for (;;) {
    const page = await listChargebacks(finance, { ...filter, cursor, perPage });
    forward.push(page.items.map((c) => c.chargebackId));
    if (!page.older) break;
    // Through the URL's form, as the screen's links carry it.
    cursor = { direction: "older", from: placeFromParam(placeToParam(page.older))! };
  }
  const backward: number[][] = [];
  let last = await listChargebacks(finance, { ...filter, cursor, perPage });
  while (last.newer) {
    const page = await listChargebacks(finance, {
      ...filter,
      cursor: { direction: "newer", from: placeFromParam(placeToParam(last.newer))! },
      perPage,
    });
    backward.unshift(page.items.map((c) => c.chargebackId));
    last = page;
  }
  backward.push(forward.at(-1)!);
  return { forward, backward, matching: last.matching };
}

describe("listChargebacks", () => {
  beforeAll(async () => {
    const dueDates = ["2027-02-01", null, "2027-01-10", "2027-01-10", null, "2027-03-05", "2027-01-10"];
    const opened: number[] = [];
    for (const dueDate of dueDates) {
      const ids = await capturedCardPayment(shop, "100.00");
      const { chargebackId } = await openChargeback(finance, {
        ...ids,
        amount: money("10"),
        reasonCode: "10.4",
        ...(dueDate ? { dueDate } : {}),
      });
      opened.push(chargebackId);
    }
    await decideChargeback(finance, { chargebackId: opened[0], outcome: "WON" });
    await decideChargeback(finance, { chargebackId: opened[4], outcome: "LOST" });
  });

  it("orders open ones first, soonest due first, no due date last, then newest", async () => {
    const items = (await listChargebacks(finance, { ...EVERY, cursor: null, perPage: 100 })).items;
    const keys = items.map((c) => [c.status === "OPEN" ? 0 : 1, c.dueDate ?? "9999-12-31", -c.createdAt.getTime()]);
    const sorted = [...keys].sort((a, b) => {
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
      return 0;
    });
    expect(keys).toEqual(sorted);
    expect(items[0]).toMatchObject({ status: "OPEN", dueDate: "2027-01-10" });
    expect(items.at(-1)!.status).not.toBe("OPEN");
  });

  it.each([1, 2, 3])("visits every chargeback once with %i a page, forward and back", async (perPage) => {
    for (const filter of [EVERY, { ...EVERY, status: "OPEN" as const }]) {
      const all = await wholeList(filter);
      const { forward, backward, matching } = await walk(filter, perPage);
      expect(forward.flat()).toEqual(all);
      expect(forward.slice(0, -1).every((page) => page.length === perPage)).toBe(true);
      expect(backward).toEqual(forward);
      expect(matching).toEqual({ count: all.length, estimated: false });
    }
  });

  it("reads a hand-made place as none (the first page)", () => {
    for (const bad of [
      "",
      "o_2027-01-10",
      "x_-_2026-12-06T10:15:30.123Z_4",
      "o_2027-13-45_2026-12-06T10:15:30.123Z_4",
    ]) {
      expect(placeFromParam(bad), bad).toBeNull();
    }
    const place = { open: true, dueDate: null, createdAt: new Date("2026-12-06T10:15:30.123Z"), id: 4 };
    expect(placeFromParam(placeToParam(place))).toEqual(place);
  });
});
