// The staff screens the whole-app browser tests walk (the CSP test opens each one, the axe scan
// checks each one): one URL per route file of app/routes, checked against the files so that a new
// screen cannot be left out, and the data that gives the detail screens something to show.
import fs from "node:fs";
import { desc } from "drizzle-orm";
import type { Page } from "playwright-core";
import { DEMO_CLIENTS, DEMO_CUSTOMERS } from "../../db/demo";
import { callbackOutbox } from "../../db/schema";
import { money } from "../../app/domain/money";
import { withDatabase } from "../../app/platform/db.server";
import { enqueueCallback } from "../../app/platform/outbox.server";
import { openChargeback } from "../../app/services/chargebacks/chargebacks.server";
import { capturedCardPayment, createClient, type TestClient } from "./api";
import type { TestServer } from "./server";
import { staffCaller } from "./use-case";

/** The ids behind the detail screens' URLs. */
export type ScreenIds = {
  paymentId: number;
  creditId: number;
  /** A settlement's detail as its list links to it (with the list's day). */
  settlementHref: string;
  callbackId: number;
  chargebackId?: number;
  runId?: string;
  reconciledSettlementId?: string;
};

/** The detail screens whose ids neither the demo data nor `screenData` has: their not-found pages are walked. */
export const NOT_IN_DEMO_DATA = new Set(["/credits/bulk/$runId", "/reconciliation/$settlementId"]);

/** Every staff screen: its route file's pattern and a URL of it. */
export function staffScreens(ids: ScreenIds): Record<string, string> {
  return {
    "/": "/",
    "/payments": "/payments",
    "/payments/$paymentId": `/payments/${ids.paymentId}`,
    "/credits": "/credits",
    "/credits/new": "/credits/new",
    "/credits/$creditId": `/credits/${ids.creditId}`,
    "/customers": "/customers",
    "/customers/$customerNumber": `/customers/${DEMO_CUSTOMERS[0].customerNumber}`,
    "/operation-log": "/operation-log",
    "/settlements": "/settlements",
    "/settlements/$settlementId": ids.settlementHref,
    "/payment-methods": "/payment-methods",
    "/audit-log": "/audit-log",
    "/users": "/users",
    "/api-clients": "/api-clients",
    "/me": "/me",
    "/work": "/work",
    "/search": `/search?q=${ids.paymentId}`,
    "/callbacks": "/callbacks",
    "/callbacks/$callbackId": `/callbacks/${ids.callbackId}`,
    "/chargebacks": "/chargebacks",
    "/chargebacks/$chargebackId": `/chargebacks/${ids.chargebackId ?? 1}`,
    "/credits/bulk/$runId": `/credits/bulk/${ids.runId ?? "none"}`,
    "/reconciliation": "/reconciliation",
    "/reconciliation/$settlementId": `/reconciliation/${encodeURIComponent(ids.reconciledSettlementId ?? "none")}`,
  };
}

/** The URL patterns of the staff screens in app/routes (not the CSV downloads, not the layout). */
export function staffRoutePatterns(): string[] {
  return fs
    .readdirSync(new URL("../../app/routes", import.meta.url))
    .filter((name) => name.startsWith("_staff.") && name !== "_staff.tsx" && !name.endsWith(".ts"))
    .map((name) => name.replace(/\.tsx$/, "").replace(/^_staff\.?/, ""))
    .map((name) => `/${name.replace(/\._index$|^_index$/, "").replaceAll(".", "/")}`.replace(/\/$/, "") || "/");
}

/** Waits until Remix has hydrated the page (its handlers are on) and the network is quiet. */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => Boolean((window as unknown as { __remixRouter?: unknown }).__remixRouter));
  await page.waitForLoadState("networkidle");
}

/**
 * What the detail screens show: a captured card payment of 200.00 with a credit of 20.00 and a
 * callback about it, and an open chargeback of 45.50 on another captured payment, by a shop of the
 * demo client nordbuss-web (which may send customers back to https://shop.example/).
 */
export async function screenData(server: TestServer): Promise<{
  shop: TestClient;
  captured: Awaited<ReturnType<typeof capturedCardPayment>>;
  creditId: number;
  callbackId: number;
  chargebackId: number;
}> {
  const nordbuss = DEMO_CLIENTS.find((client) => client.clientId === "nordbuss-web")!;
  const shop = await createClient(server, {
    organisationId: nordbuss.organisationId,
    allowedRedirectPrefixes: ["https://shop.example/"],
  });
  const captured = await capturedCardPayment(shop, "200.00");
  const credit = await shop.post("/v1/credits", {
    totalCreditAmount: "20.00",
    creditTransactions: [{ paymentId: captured.paymentId, transactionId: captured.transactionId, amount: "20.00" }],
  });
  if (credit.status !== 201) throw new Error(`credit: ${credit.status} ${JSON.stringify(credit.body)}`);
  await enqueueCallback(server.database.db, {
    url: "https://shop.example/callbacks",
    payload: { paymentId: captured.paymentId, transactionId: captured.transactionId, status: "CAPTURED" },
    clientId: shop.clientId,
    organisationId: nordbuss.organisationId,
    paymentId: captured.paymentId,
    transactionId: captured.transactionId,
  });
  const [callback] = await server.database.db
    .select({ id: callbackOutbox.id })
    .from(callbackOutbox)
    .orderBy(desc(callbackOutbox.id))
    .limit(1);
  const disputed = await capturedCardPayment(shop, "120.00");
  const { chargebackId } = await withDatabase(server.database, () =>
    openChargeback(staffCaller(), {
      paymentId: disputed.paymentId,
      transactionId: disputed.transactionId,
      amount: money("45.50"),
      reasonCode: "10.4",
      dueDate: "2027-01-15",
    }),
  );
  return { shop, captured, creditId: credit.body.creditId, callbackId: callback.id, chargebackId };
}

/** The first settlement the signed-in page's settlement list links to (with the list's day). */
export async function firstSettlementHref(page: Page, serverUrl: string): Promise<string> {
  await page.goto(`${serverUrl}/settlements`);
  const link = page.locator('a[href^="/settlements/"]:not([href*="export"])').first();
  await link.waitFor();
  return (await link.getAttribute("href"))!;
}
