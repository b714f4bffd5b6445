// The staff payments list, its CSV export and the operation log over HTTP with real staff
// sessions: bad filters answer a page with the error next to the filter (400, never 500), only
// finance and admin export, every sort pages without gaps or repeats, and the operation log
// narrows to one request's operations.
import { and, asc, desc, eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, operationLog, paymentTransactions, payments } from "../../db/schema";
import { paymentWithTransaction } from "../support/api";
import { useApiClient, useStaffSession, useTestServer } from "../support/fixtures-http";
import { getPage } from "../support/staff";

const server = useTestServer();
const client = useApiClient(server, { organisationId: 901 });
const support = useStaffSession(server, "support");
const finance = useStaffSession(server, "finance");
const AMOUNTS = ["100.00", "49.50", "100.00", "250.00", "12.34"];
const created: { paymentId: number; transactionId: number }[] = [];

beforeAll(async () => {
  for (let i = 0; i < 31; i++) {
    created.push(
      await paymentWithTransaction(client, AMOUNTS[i % AMOUNTS.length], i % 2 ? "VISA" : "VIPPS", {
        orderId: `LIST-${i}`,
      }),
    );
  }
  // What a card terminal would have stored: an rrn and the card's last 4.
  await server.database.db
    .update(paymentTransactions)
    .set({ rrn: "612300004711", cardNumber: "4242" })
    .where(eq(paymentTransactions.transactionId, created[5].transactionId));
});

const paymentIdsIn = (html: string) => [...html.matchAll(/href="\/payments\/(\d+)"/g)].map((m) => Number(m[1]));

/** HTML as the page reads: React's text separators gone, entities decoded (messages quote values). */
const textOf = (html: string) =>
  html.replaceAll("<!-- -->", "").replaceAll("&quot;", '"').replaceAll("&#x27;", "'").replaceAll("&amp;", "&");

describe("bad filters", () => {
  const cases: [query: string, message: string][] = [
    ["status=PAID", 'must be one of CREATED, INITIATED, AUTHORIZED, CAPTURED, CREDITED, CANCELLED, not "PAID"'],
    // An amount filter is read as people type amounts, and refused in their words.
    ["totalAmount=gte:abc", "Enter an amount like 2 596,50"],
    ["createdAt=lt:yesterday", 'must be an ISO 8601 date or time, not "yesterday"'],
    ["paymentId=12x", 'must be a whole number, not "12x"'],
    ["status=zz:CAPTURED", "has an unknown operator"],
    ["from=2026-13-01", 'from must be a day as YYYY-MM-DD, not "2026-13-01"'],
    ["from=2026-11-08&to=2026-11-01", "the range ends (2026-11-01) before it starts (2026-11-08)"],
    ["q=%01", "must not contain control characters"],
    ["shoeSize=42", "shoeSize is not a search parameter here"],
  ];
  for (const [query, message] of cases) {
    it(`${query}: the page with "${message.slice(0, 40)}…" next to it, 400, no rows`, async () => {
      const response = await getPage(server, `/payments?${query}`, support.cookie);
      expect(response.status).toBe(400);
      const html = textOf(await response.text());
      expect(html).toContain(message);
      expect(html).toContain("Fix the filter marked in red");
      expect(paymentIdsIn(html)).toEqual([]);
    });
  }

  it("takes an amount filter typed as the screens print amounts", async () => {
    for (const value of ["gte:249,50", "gte:249.50", "gte:249"]) {
      const response = await getPage(server, `/payments?totalAmount=${encodeURIComponent(value)}`, support.cookie);
      expect(response.status, value).toBe(200);
      const ids = paymentIdsIn(textOf(await response.text()));
      // Only the 250.00 payments (every fifth).
      expect(ids.length, value).toBe(created.filter((_, i) => AMOUNTS[i % AMOUNTS.length] === "250.00").length);
    }
  });

  it("never answers 500, whatever the filters say", async () => {
    const fields = [
      "status",
      "totalAmount",
      "createdAt",
      "paymentId",
      "cardNumber",
      "q",
      "from",
      "to",
      "sort",
      "dir",
      "page",
      "perPage",
      "nope",
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...fields), fc.string({ maxLength: 30, unit: "binary" })), { maxLength: 4 }),
        async (pairs) => {
          const query = new URLSearchParams(pairs).toString();
          for (const path of ["/payments", "/operation-log"]) {
            const response = await getPage(server, `${path}?${query}`, finance.cookie);
            expect([200, 400], `${path}?${query}`).toContain(response.status);
            await response.text();
          }
        },
      ),
      { numRuns: 40, seed: 20261121 },
    );
  }, 240_000); // 80 pages: over a minute on a loaded machine

  it("the export refuses them too, with the reasons (400, plain text)", async () => {
    const response = await getPage(server, "/payments/export.csv?status=PAID&from=nope", finance.cookie);
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain("status must be one of");
    expect(text).toContain("from must be a day");
  });
});

describe("quick search and the URL", () => {
  it("finds a payment by orderId, rrn, card last 4 and paymentId, saying which matched", async () => {
    const target = created[5].paymentId;
    for (const [q, label] of [
      ["LIST-5", "orderId: 1 payment"],
      ["612300004711", "rrn: 1 payment"],
      ["•••• 4242", "card last 4: 1 payment"],
      [String(target), "paymentId: 1 payment"],
    ]) {
      const response = await getPage(server, `/payments?q=${encodeURIComponent(q)}`, support.cookie);
      expect(response.status, q).toBe(200);
      const html = textOf(await response.text());
      expect(paymentIdsIn(html), q).toEqual([target]);
      expect(html, q).toContain(label);
    }
  });

  it("says when nothing matched, and what the text was tried as", async () => {
    const response = await getPage(server, "/payments?q=NO-SUCH-ORDER", support.cookie);
    expect(response.status).toBe(200);
    const html = textOf(await response.text());
    expect(html).toContain("No payment has orderId or rrn “NO-SUCH-ORDER”");
    expect(html).toContain("No payments match");
  });
});

describe("sort and pagination", () => {
  const ours = () => sql`${payments.organisationId} = ${client.organisationId}`;
  const sorts: [query: string, order: ReturnType<typeof asc>[]][] = [
    ["", [desc(payments.createdAt), desc(payments.paymentId)]],
    ["sort=createdAt&dir=asc", [asc(payments.createdAt), asc(payments.paymentId)]],
    ["sort=totalAmount&dir=asc", [asc(payments.totalAmount), asc(payments.paymentId)]],
    ["sort=totalAmount", [desc(payments.totalAmount), desc(payments.paymentId)]],
    ["sort=paymentId&dir=asc", [asc(payments.paymentId)]],
    ["sort=paymentId&dir=desc", [desc(payments.paymentId)]],
  ];
  for (const [query, order] of sorts) {
    it(`${
      query || "default (newest first)"
    }: pages of 7 add up to the database's order, and reload to the same rows`, async () => {
      const expected = (
        await server.database.db
          .select({ id: payments.paymentId })
          .from(payments)
          .where(ours())
          .orderBy(...order)
      ).map((r) => r.id);
      expect(expected).toHaveLength(31);
      const seen: number[] = [];
      for (let page = 1; page <= 5; page++) {
        const url = `/payments?organisationId=${client.organisationId}&perPage=7&page=${page}${query ? `&${query}` : ""}`;
        const first = paymentIdsIn(await (await getPage(server, url, support.cookie)).text());
        const again = paymentIdsIn(await (await getPage(server, url, support.cookie)).text());
        expect(again).toEqual(first);
        seen.push(...first);
      }
      expect(seen).toEqual(expected);
    });
  }

  it("walks the newest-first pages by the cursors the loader gives for next and previous (decision 058)", async () => {
    const expected = (
      await server.database.db
        .select({ id: payments.paymentId })
        .from(payments)
        .where(ours())
        .orderBy(desc(payments.createdAt), desc(payments.paymentId))
    ).map((r) => r.id);
    const base = `/payments?organisationId=${client.organisationId}&perPage=7`;
    /** The loader's data (the first part of a deferred answer): the page's ids and its edges. */
    const data = async (query: string) => {
      const route = encodeURIComponent("routes/_staff.payments._index");
      const text = await (await getPage(server, `${base}${query}&_data=${route}`, support.cookie)).text();
      const { list } = JSON.parse(text.split("\n\n")[0]) as {
        list: { items: { paymentId: number }[]; cursors: { older: string; newer: string } | null };
      };
      return { ids: list.items.map((item) => item.paymentId), cursors: list.cursors };
    };
    const pages = [await data("")];
    for (let page = 2; page <= 5; page++) {
      const older = encodeURIComponent(pages.at(-1)!.cursors!.older);
      pages.push(await data(`&page=${page}&older=${older}`));
    }
    expect(pages.flatMap((page) => page.ids)).toEqual(expected);
    for (let page = 4; page >= 1; page--) {
      const newer = encodeURIComponent(pages[page].cursors!.newer);
      expect((await data(`&page=${page}&newer=${newer}`)).ids, `page ${page}`).toEqual(pages[page - 1].ids);
    }
    // Other orders page by number only: no cursors, and one in the URL changes nothing.
    const byAmount = await data("&sort=totalAmount&page=2");
    expect(byAmount.cursors).toBeNull();
    const older = encodeURIComponent(pages[3].cursors!.older);
    expect((await data(`&sort=totalAmount&page=2&older=${older}`)).ids).toEqual(byAmount.ids);
  });

  it("shows an empty page past the end with a way back, and a bad page number as page 1", async () => {
    const past = await (
      await getPage(server, `/payments?organisationId=${client.organisationId}&page=99`, support.cookie)
    ).text();
    expect(past).toContain("There is no page 99");
    expect(paymentIdsIn(past)).toEqual([]);
    const bad = await getPage(
      server,
      `/payments?organisationId=${client.organisationId}&page=-3&perPage=lots`,
      support.cookie,
    );
    expect(bad.status).toBe(200);
    expect(paymentIdsIn(await bad.text())).toHaveLength(25);
  });
});

describe("CSV export", () => {
  it("is not for support (403), and a forged request writes nothing to the audit log", async () => {
    const before = await server.database.db.select().from(auditLog).where(eq(auditLog.action, "payment.export_csv"));
    const response = await getPage(server, "/payments/export.csv", support.cookie);
    expect(response.status).toBe(403);
    const after = await server.database.db.select().from(auditLog).where(eq(auditLog.action, "payment.export_csv"));
    expect(after).toHaveLength(before.length);
    const anonymous = await getPage(server, "/payments/export.csv");
    expect(anonymous.status).toBe(302);
  });

  it("gives finance every filtered payment, one row each, in the list's order, and audits who exported what", async () => {
    const query = `organisationId=${client.organisationId}&totalAmount=gte:49.50&sort=totalAmount&dir=asc`;
    const response = await getPage(server, `/payments/export.csv?${query}`, finance.cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="payments-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const lines = (await response.text())
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split(/\r?\n/);
    expect(lines[0]).toBe(
      "paymentId,createdAt,orderId,orderVersion,organisationId,organisationName,customerNumber,currency,totalAmount,active,settlementId,transactionCount,statuses,paymentTypes,cardNumbers,rrns,authorizedAmount,capturedAmount,creditedAmount",
    );
    const expected = await server.database.db
      .select({ id: payments.paymentId })
      .from(payments)
      .where(and(eq(payments.organisationId, client.organisationId), sql`${payments.totalAmount} >= 49.5`))
      .orderBy(asc(payments.totalAmount), asc(payments.paymentId));
    expect(lines.slice(1).map((line) => Number(line.split(",")[0]))).toEqual(expected.map((r) => r.id));
    const row = lines.find((line) => line.startsWith(`${created[5].paymentId},`))!;
    expect(row).toContain(",LIST-5,");
    expect(row).toContain(",NOK,100.00,true,,1,CREATED,VISA,4242,612300004711,0.00,0.00,0.00");

    const [audit] = await server.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "payment.export_csv"))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(audit).toMatchObject({ entityType: "payment", after: { query: new URLSearchParams(query).toString() } });
    expect(audit.actorEmail).toMatch(/^finance-/);
  });
});

describe("operation log", () => {
  it("narrows to one request's operations by correlation id, each linking to its payment", async () => {
    const correlationId = "list-test-deactivate-0001";
    const payment = await client.post("/v1/payments", { totalAmount: "80.00", orderId: "LIST-OPLOG" });
    for (const paymentType of ["VISA", "VIPPS"]) {
      const added = await client.post(`/v1/payments/${payment.body.paymentId}/transactions`, {
        amount: "40.00",
        paymentType,
      });
      expect(added.status).toBe(201);
    }
    const deactivated = await client.put(`/v1/payments/${payment.body.paymentId}/deactivate`, undefined, {
      "X-Correlation-Id": correlationId,
    });
    expect(deactivated.status).toBe(200);
    const logged = await server.database.db
      .select()
      .from(operationLog)
      .where(eq(operationLog.correlationId, correlationId));
    expect(logged.map((row) => row.operation)).toEqual(["CANCEL", "CANCEL"]);

    const response = await getPage(server, `/operation-log?correlationId=${correlationId}`, support.cookie);
    expect(response.status).toBe(200);
    const html = textOf(await response.text());
    expect(paymentIdsIn(html)).toEqual([payment.body.paymentId, payment.body.paymentId]);
    expect(html).toContain("2 operations match");
    expect(html.match(/>CANCEL</g)).toHaveLength(2);
  });

  it("answers a bad filter with the error next to it (400)", async () => {
    const response = await getPage(server, "/operation-log?operation=PAY&transactionId=x", support.cookie);
    expect(response.status).toBe(400);
    const html = textOf(await response.text());
    expect(html).toContain(
      'must be one of CREATE, INITIATE, AUTHORIZE, CAPTURE, CANCEL, CREDIT, IMPORT, UPDATE, not "PAY"',
    );
    expect(html).toContain('must be a whole number, not "x"');
  });

  it("pages older and back newer by keyset", async () => {
    const first = await (await getPage(server, "/operation-log?perPage=10", support.cookie)).text();
    const older = /href="(\/operation-log\?perPage=10&amp;older=[^"]+)"/.exec(first)?.[1].replaceAll("&amp;", "&");
    expect(older).toBeDefined();
    const second = await (await getPage(server, older!, support.cookie)).text();
    expect(paymentIdsIn(second)).toHaveLength(10);
    expect(paymentIdsIn(second)).not.toEqual(paymentIdsIn(first));
    const newer = /href="(\/operation-log\?perPage=10&amp;newer=[^"]+)"/.exec(second)?.[1].replaceAll("&amp;", "&");
    const back = await (await getPage(server, newer!, support.cookie)).text();
    expect(paymentIdsIn(back)).toEqual(paymentIdsIn(first));
  });
});
