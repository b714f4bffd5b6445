// The dashboard and the settlements screens over HTTP with real staff sessions: who may see and
// export what, what a hand-edited URL gets (a readable message or the default, never a 500), and
// that the settlement figures and exports agree with the operation log itself, also after a
// payment is moved to another settlement.
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { dailyVolume, operationLog, payments, paymentTransactions } from "../../db/schema";
import { addDays, utcDay } from "../../app/domain/day-range";
import { add, money, subtract, toDbAmount, ZERO, type Money } from "../../app/domain/money";
import { formatCount } from "../../app/components/format";
import { getDashboard } from "../../app/services/queries/dashboard.server";
import { listSettlementDays } from "../../app/services/queries/settlements.server";
import { listPayments } from "../../app/services/queries/payment-list.server";
import { capturedCardPayment, createClient } from "../support/api";
import { useStaffSession, useTestServer } from "../support/fixtures-http";
import { staffCaller } from "../support/use-case";
import { getPage } from "../support/staff";
import { lostChargebacks, onUtcDays, volumeFromLog } from "../support/volume";
import { decideChargeback, openChargeback } from "../../app/services/chargebacks/chargebacks.server";

const server = useTestServer({ demoPayments: 300 });
const support = useStaffSession(server, "support");
const finance = useStaffSession(server, "finance");
const admin = useStaffSession(server, "admin");
/** A settlement id with volume in the demo data. */
let settlementId: string;
let settlementDay: string;

beforeAll(async () => {
  const [row] = await server.database.db
    .select({ settlementId: dailyVolume.settlementId, day: dailyVolume.day })
    .from(dailyVolume)
    .where(sql`${dailyVolume.settlementId} <> '' and ${dailyVolume.capturedCount} > 0`)
    .orderBy(dailyVolume.day, dailyVolume.settlementId)
    .limit(1);
  settlementId = row.settlementId;
  settlementDay = row.day;
});

const path = (id: string) => `/settlements/${encodeURIComponent(id)}`;

/** CSV lines without the header (and the final line break). */
async function csvRows(response: Response): Promise<string[][]> {
  const text = (await response.text()).replace(/^\uFEFF/, "");
  const lines = text.split("\r\n").filter((line) => line !== "");
  return lines.slice(1).map((line) => line.split(","));
}

describe("permissions", () => {
  it("lets support see the dashboard but neither settlements nor their exports (403)", async () => {
    expect((await getPage(server, "/", support.cookie)).status).toBe(200);
    for (const target of [
      "/settlements",
      path(settlementId),
      "/settlements/export.csv",
      `${path(settlementId)}/export.csv`,
    ]) {
      const response = await getPage(server, target, support.cookie);
      expect(response.status, target).toBe(403);
      expect(await response.text(), target).toContain("may not");
    }
  });

  it("lets finance and admin see settlements, drill down and export", async () => {
    for (const cookie of [finance.cookie, admin.cookie]) {
      expect((await getPage(server, "/settlements", cookie)).status).toBe(200);
      expect((await getPage(server, `${path(settlementId)}?day=${settlementDay}`, cookie)).status).toBe(200);
      const summary = await getPage(server, "/settlements/export.csv?range=90d", cookie);
      expect(summary.status).toBe(200);
      expect(summary.headers.get("content-type")).toContain("text/csv");
      await summary.body?.cancel();
      const operations = await getPage(server, `${path(settlementId)}/export.csv`, cookie);
      expect(operations.status).toBe(200);
      await operations.body?.cancel();
    }
  });

  it("sends someone who is not logged in to the login page", async () => {
    for (const target of ["/", "/settlements", "/settlements/export.csv"]) {
      const response = await getPage(server, target);
      expect(response.status, target).toBe(302);
      expect(response.headers.get("location"), target).toMatch(/^\/login($|\?redirectTo=)/);
    }
  });
});

describe("hand-edited URLs", () => {
  it("shows the dashboard's default range with a message naming what was wrong", async () => {
    const cases: Array<[string, string]> = [
      ["/?from=2026-02-30&to=nope", "from must be a day written as YYYY-MM-DD"],
      ["/?from=2026-02-01", "to is needed with from"],
      ["/?from=2026-03-01&to=2026-02-01", "to must be the same day as from or later"],
      ["/?from=2020-01-01&to=2026-01-01", "to must be at most 366 days after from"],
      ["/?range=week", "range must be one of today, 7d, 30d, 90d"],
      ["/?currency=12&show=everything", "currency must be a three-letter currency code"],
      ["/?show=everything", "show must be one of captured, credited, net"],
    ];
    for (const [target, message] of cases) {
      const response = await getPage(server, target, support.cookie);
      expect(response.status, target).toBe(200);
      const html = await response.text();
      expect(html, target).toContain(message);
      expect(html, target).toContain("Last 30 days");
    }
  });

  it("says so when a range had no volume", async () => {
    const response = await getPage(server, "/?from=2001-01-01&to=2001-01-31", support.cookie);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Nothing was captured, credited or authorized in this range.");
  });

  it("shows settlements with the default for what it could not read", async () => {
    const response = await getPage(
      server,
      "/settlements?from=bad&to=worse&page=-3&perPage=abc&currency=kroner",
      finance.cookie,
    );
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("from must be a day written as YYYY-MM-DD");
    expect(html).toContain("must be a three-letter currency code");
    expect(html).toMatch(/Showing 1–\d+ of/);

    const past = await getPage(server, "/settlements?page=999999", finance.cookie);
    expect(past.status).toBe(200);
    expect(await past.text()).toContain("is past the end");

    const empty = await getPage(server, "/settlements?from=2001-01-01&to=2001-01-07", finance.cookie);
    expect(await empty.text()).toContain("No settlements match.");
  });

  it("ignores a bad drill-down day with a message, and says 404 for an unknown settlement", async () => {
    const badDay = await getPage(server, `${path(settlementId)}?day=yesterday&page=0`, finance.cookie);
    expect(badDay.status).toBe(200);
    expect(await badDay.text()).toContain("day must be a day written as YYYY-MM-DD; showing every day instead");

    const unknown = await getPage(server, path("NO-SUCH-SETTLEMENT"), finance.cookie);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("No captures or credits are recorded under settlement id");
  });

  it("refuses to export with parameters it cannot use (400 with the reason), rather than exporting something else", async () => {
    const summary = await getPage(server, "/settlements/export.csv?from=2026-02-30&to=2026-03-01", finance.cookie);
    expect(summary.status).toBe(400);
    expect(await summary.text()).toContain("from must be a day written as YYYY-MM-DD");
    const operations = await getPage(server, `${path(settlementId)}/export.csv?day=soon`, finance.cookie);
    expect(operations.status).toBe(400);
    expect(await operations.text()).toContain("day must be a day");
  });
});

describe("figures", () => {
  it("opens the dashboard on NOK, never on a currency merely because its amounts are larger numbers", async () => {
    const client = await createClient(server);
    await capturedCardPayment(client, "1.00");
    await capturedCardPayment(client, "987654.00", { currency: "SEK" });
    const today = utcDay(new Date());
    const dashboard = await getDashboard(staffCaller(), { from: today, to: today, currency: null });
    expect(dashboard.currencies.map((row) => row.currency)).toContain("SEK");
    expect(dashboard.currency).toBe("NOK");
    expect(dashboard.currencies[0].currency).toBe("NOK");
    const html = await (await getPage(server, "/?range=today", finance.cookie)).text();
    expect(html).toMatch(/Captured volume in NOK per UTC day/);
  });

  it("exports every settlement day of the range, adding up to what the operation log says", async () => {
    const today = utcDay(new Date());
    const from = addDays(today, -89);
    const response = await getPage(server, "/settlements/export.csv?range=90d", finance.cookie);
    const rows = await csvRows(response);
    expect(rows.length).toBeGreaterThan(10);

    const [{ settlementDays }] = await server.database.db
      .select({
        settlementDays: sql<number>`count(distinct (${dailyVolume.day}, ${dailyVolume.settlementId}, ${dailyVolume.currency}))::int`,
      })
      .from(dailyVolume)
      .where(sql`${dailyVolume.day} between ${from} and ${today}`);
    expect(rows.length).toBe(settlementDays);
    const page = await (await getPage(server, "/settlements?range=90d", finance.cookie)).text();
    expect(page).toContain(`of ${formatCount(settlementDays)} rows`);

    // header: settlementId, day, currency, capturedAmount, capturedCount, creditedAmount, creditedCount,
    // chargedBackAmount, chargedBackCount, netAmount
    const fromCsv = new Map<
      string,
      { captured: Money; capturedCount: number; credited: Money; creditedCount: number }
    >();
    for (const [, , currency, captured, capturedCount, credited, creditedCount] of rows) {
      const sum = fromCsv.get(currency) ?? { captured: ZERO, capturedCount: 0, credited: ZERO, creditedCount: 0 };
      fromCsv.set(currency, {
        captured: add(sum.captured, money(captured)),
        capturedCount: sum.capturedCount + Number(capturedCount),
        credited: add(sum.credited, money(credited)),
        creditedCount: sum.creditedCount + Number(creditedCount),
      });
    }
    // Every row, those of payments without a settlement id too: the whole range's volume.
    const fromLog = await volumeFromLog(server.database.db, onUtcDays(from, today));
    expect(Object.fromEntries(fromCsv)).toEqual(
      Object.fromEntries(fromLog.map(({ currency, ...sums }) => [currency, sums])),
    );
  });

  it("moves a payment's volume with its settlement id, so each settlement keeps matching its payments", async () => {
    const client = await createClient(server);
    const first = await capturedCardPayment(client, "120.50");
    const second = await capturedCardPayment(client, "80.25");
    const credited = await client.post(`/v1/payments/${first.paymentId}/transactions/${first.transactionId}/credit`, {
      amount: "20.50",
    });
    expect(credited.status, JSON.stringify(credited.body)).toBeLessThan(300);

    for (const { paymentId } of [first, second]) {
      expect((await client.patch(`/v1/payments/${paymentId}`, { settlementId: "MOVE-A" })).status).toBe(200);
    }
    expect((await client.patch(`/v1/payments/${second.paymentId}`, { settlementId: "MOVE-B" })).status).toBe(200);

    const rollup = (id: string) =>
      server.database.db
        .select({
          captured: sql<string>`sum(${dailyVolume.capturedAmount})::text`,
          capturedCount: sql<number>`sum(${dailyVolume.capturedCount})::int`,
          credited: sql<string>`sum(${dailyVolume.creditedAmount})::text`,
          creditedCount: sql<number>`sum(${dailyVolume.creditedCount})::int`,
        })
        .from(dailyVolume)
        .where(and(eq(dailyVolume.settlementId, id), eq(dailyVolume.organisationId, client.organisationId)));
    const [a] = await rollup("MOVE-A");
    const [b] = await rollup("MOVE-B");
    const [none] = await rollup("");
    expect(a).toEqual({ captured: "120.50000", capturedCount: 1, credited: "20.50000", creditedCount: 1 });
    expect(b).toEqual({ captured: "80.25000", capturedCount: 1, credited: "0.00000", creditedCount: 0 });
    expect(none).toEqual({ captured: null, capturedCount: null, credited: null, creditedCount: null });

    for (const id of ["MOVE-A", "MOVE-B"]) {
      const [fromLog] = await volumeFromLog(server.database.db, eq(payments.settlementId, id));
      const [fromRollup] = await rollup(id);
      expect({ captured: money(fromRollup.captured), credited: money(fromRollup.credited) }).toEqual({
        captured: fromLog.captured,
        credited: fromLog.credited,
      });
      const exported = await csvRows(await getPage(server, `${path(id)}/export.csv`, finance.cookie));
      expect(exported.length).toBe(fromLog.capturedCount + fromLog.creditedCount);
    }
  });
  it("keeps each settlement's rollup equal to its payments' operations under concurrent moves and credits", async () => {
    const client = await createClient(server);
    const made = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => capturedCardPayment(client, `${100 + i}.00`)));
    const ids = ["RACE-A", "RACE-B", "RACE-C"];
    // Each payment is moved twice and credited in between, all at once: moves of different
    // payments touch the same rollup rows, and a move races the credit of its own payment.
    const results = await Promise.all(
      made.flatMap(({ paymentId, transactionId }, i) => [
        client.patch(`/v1/payments/${paymentId}`, { settlementId: ids[i % 3] }),
        client.post(`/v1/payments/${paymentId}/transactions/${transactionId}/credit`, { amount: "10.00" }),
        client.patch(`/v1/payments/${paymentId}`, { settlementId: ids[(i + 1) % 3] }),
      ]),
    );
    expect(results.map((result) => result.status).filter((status) => status >= 300)).toEqual([]);

    for (const id of [...ids, ""]) {
      const fromLog = await volumeFromLog(
        server.database.db,
        and(
          eq(payments.organisationId, client.organisationId),
          id === "" ? isNull(payments.settlementId) : eq(payments.settlementId, id),
        ),
      );
      const [rolled] = await server.database.db
        .select({
          captured: sql<string>`coalesce(sum(${dailyVolume.capturedAmount}), 0)::text`,
          capturedCount: sql<number>`coalesce(sum(${dailyVolume.capturedCount}), 0)::int`,
          credited: sql<string>`coalesce(sum(${dailyVolume.creditedAmount}), 0)::text`,
          creditedCount: sql<number>`coalesce(sum(${dailyVolume.creditedCount}), 0)::int`,
        })
        .from(dailyVolume)
        .where(and(eq(dailyVolume.settlementId, id), eq(dailyVolume.organisationId, client.organisationId)));
      const logged = fromLog[0] ?? { captured: ZERO, capturedCount: 0, credited: ZERO, creditedCount: 0 };
      expect(
        { ...rolled, captured: money(rolled.captured), credited: money(rolled.credited) },
        id || "no settlement",
      ).toEqual({
        captured: logged.captured,
        capturedCount: logged.capturedCount,
        credited: logged.credited,
        creditedCount: logged.creditedCount,
      });
    }
  });
});

describe("reconciliation", () => {
  /**
   * The log's volume per currency with what lost chargebacks took, as the screens' decimal strings
   * (5 decimals), counts beside; net is captured − credited − charged back.
   */
  function asFigures(
    rows: Awaited<ReturnType<typeof volumeFromLog>>,
    lost: Awaited<ReturnType<typeof lostChargebacks>>,
  ) {
    return Object.fromEntries(
      rows.map((row) => {
        const { chargedBack, chargedBackCount } = lost.get(row.currency) ?? { chargedBack: ZERO, chargedBackCount: 0 };
        return [
          row.currency,
          {
            captured: toDbAmount(row.captured),
            capturedCount: row.capturedCount,
            credited: toDbAmount(row.credited),
            creditedCount: row.creditedCount,
            chargedBack: toDbAmount(chargedBack),
            chargedBackCount,
            net: toDbAmount(subtract(subtract(row.captured, row.credited), chargedBack)),
          },
        ];
      }),
    );
  }

  const withoutFigures = <T extends { currency: string }>({ currency: _currency, ...rest }: T) => rest;

  it("gives the dashboard and settlements the same totals for any range, equal to the operation log, with the volume without a settlement id as its own part", async () => {
    // Volume of today without a settlement id and under one, in two currencies, for certain.
    const client = await createClient(server);
    const loose = await capturedCardPayment(client, "311.11");
    await capturedCardPayment(client, "42.42", { currency: "SEK" });
    const settled = await capturedCardPayment(client, "205.50");
    expect((await client.patch(`/v1/payments/${settled.paymentId}`, { settlementId: "RECON-1" })).status).toBe(200);
    const credited = await client.post(`/v1/payments/${loose.paymentId}/transactions/${loose.transactionId}/credit`, {
      amount: "11.11",
    });
    expect(credited.status, JSON.stringify(credited.body)).toBeLessThan(300);
    // A lost chargeback under the settlement id and one without: net goes down on both sides.
    for (const [ids, amount] of [
      [settled, "55.25"],
      [loose, "100.01"],
    ] as const) {
      const { chargebackId } = await openChargeback(staffCaller(), {
        ...ids,
        amount: money(amount),
        reasonCode: "10.4",
      });
      await decideChargeback(staffCaller(), { chargebackId, outcome: "LOST" });
    }

    const today = utcDay(new Date());
    const ranges = [
      { from: today, to: today },
      { from: addDays(today, -6), to: today },
      { from: addDays(today, -29), to: today },
      { from: addDays(today, -89), to: today },
      { from: addDays(today, -40), to: addDays(today, -20) },
    ];
    const noSettlement = sql`coalesce(${payments.settlementId}, '') = ''`;
    for (const range of ranges) {
      const label = `${range.from}..${range.to}`;
      const logAll = asFigures(
        await volumeFromLog(server.database.db, onUtcDays(range.from, range.to)),
        await lostChargebacks(server.database.db, range.from, range.to),
      );
      const logWithout = asFigures(
        await volumeFromLog(server.database.db, and(noSettlement, onUtcDays(range.from, range.to))),
        await lostChargebacks(server.database.db, range.from, range.to, noSettlement),
      );
      expect(Object.keys(logAll).length, label).toBeGreaterThan(0);

      const settlements = await listSettlementDays(staffCaller(), {
        ...range,
        settlementId: null,
        currency: null,
        page: 1,
        perPage: 25,
      });
      expect(
        Object.fromEntries(settlements.totals.map((row) => [row.currency, withoutFigures(row.total)])),
        label,
      ).toEqual(logAll);
      for (const row of settlements.totals) {
        const without = logWithout[row.currency] ?? {
          captured: "0.00000",
          capturedCount: 0,
          credited: "0.00000",
          creditedCount: 0,
          chargedBack: "0.00000",
          chargedBackCount: 0,
          net: "0.00000",
        };
        expect(withoutFigures(row.withoutSettlement), `${label} ${row.currency} without`).toEqual(without);
        // The dashboard, one currency at a time: the same figures, split the same way.
        const dashboard = await getDashboard(staffCaller(), { ...range, currency: row.currency });
        expect(dashboard.totals, `${label} ${row.currency}`).toEqual(withoutFigures(row.total));
        expect(dashboard.bySettlement.withoutSettlement, `${label} ${row.currency}`).toEqual(
          withoutFigures(row.withoutSettlement),
        );
        expect(dashboard.bySettlement.withSettlement, `${label} ${row.currency}`).toEqual(
          withoutFigures(row.withSettlement),
        );
      }
    }

    // The screens themselves: the settlements page shows the no-settlement part as its own row.
    const html = await (await getPage(server, "/settlements?range=today&currency=NOK", finance.cookie)).text();
    expect(html).toContain("NOK without a settlement id");
    expect(html).toContain("No settlement id");
  });

  it("lists behind a dashboard bar exactly the payments whose operations make up its amount", async () => {
    const client = await createClient(server);
    const made = await capturedCardPayment(client, "77.70");
    const today = utcDay(new Date());
    const dashboard = await getDashboard(staffCaller(), { from: today, to: today, currency: "NOK" });
    const [day] = dashboard.days;
    const group = "PAYMENTCARD";
    expect(money(day.groups[group].captured) > 0n).toBe(true);

    const listed = await listPayments(staffCaller(), {
      volume: { kind: "captured", day: today, paymentTypeGroup: group, currency: "NOK", settlement: null },
      page: 1,
      perPage: 100,
    });
    const ids = listed.items.map((item) => item.paymentId);
    expect(ids).toContain(made.paymentId);
    const behind = and(
      onUtcDays(today, today),
      eq(paymentTransactions.paymentTypeGroup, group),
      eq(paymentTransactions.currency, "NOK"),
    );
    const byPayment = await server.database.db
      .selectDistinct({ paymentId: operationLog.paymentId })
      .from(operationLog)
      .innerJoin(paymentTransactions, eq(paymentTransactions.transactionId, operationLog.transactionId))
      .where(and(behind, inArray(operationLog.operation, ["CAPTURE", "IMPORT"])));
    expect([...ids].sort((a, b) => a - b)).toEqual(byPayment.map((row) => row.paymentId).sort((a, b) => a - b));
    // Their captures that day and in that group add up to the bar.
    const [sum] = await volumeFromLog(server.database.db, and(behind, inArray(payments.paymentId, ids)));
    expect(toDbAmount(sum.captured)).toBe(day.groups[group].captured);

    // The same through the screen's URL; a bad value is named, not a 500.
    const page = await getPage(
      server,
      `/payments?volume=captured&volumeDay=${today}&volumeGroup=${group}&volumeCurrency=NOK`,
      support.cookie,
    );
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Captured on ${today} (UTC) · PAYMENTCARD · NOK`);
    const bad = await getPage(server, `/payments?volume=captured&volumeDay=soon`, support.cookie);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("volumeDay must be a day written as YYYY-MM-DD");
  });
});
