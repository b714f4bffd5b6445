// The customer side of the demo data: customers, stored cards (recurring payments), payment
// agreements, gift cards, products with their invoices, and a few disabled payment methods.
// Small tables, written once by seedDemoData; the payment generator draws customers from them.
import { PRODUCT_PAYMENT_METHODS } from "../../app/domain/enums";
import { money } from "../../app/domain/money";
import type { DatabaseHandle } from "../client";
import { amount, bulkDb, flag, id, jsonValue, NULL, stamp, text } from "./copy";
import { Rng, Weighted } from "./prng";
import { DAY, HOUR } from "./time";
import type { SeedSummary } from "./types";

const CUSTOMER_POOL = 400;

function customerNumberOf(k: number): string {
  return String(100000 + k * 17 + (k % 7));
}

export function syntheticCustomerPool(): string[] {
  return Array.from({ length: CUSTOMER_POOL }, (_, k) => customerNumberOf(k));
}

const FIRST_NAMES = [
  "Ola",
  "Kari",
  "Nora",
  "Emil",
  "Ingrid",
  "Jakob",
  "Sofie",
  "Lukas",
  "Emma",
  "Filip",
  "Maja",
  "Henrik",
  "Sara",
  "Aksel",
  "Ida",
  "Mathias",
  "Thea",
  "Sander",
  "Julie",
  "Jonas",
  "Astrid",
  "Magnus",
  "Frida",
  "Tobias",
  "Hedda",
];
const LAST_NAMES = [
  "Nordmann",
  "Hansen",
  "Johansen",
  "Olsen",
  "Larsen",
  "Andersen",
  "Pedersen",
  "Nilsen",
  "Kristiansen",
  "Jensen",
  "Karlsen",
  "Johnsen",
  "Pettersen",
  "Eriksen",
  "Berg",
  "Haugen",
  "Hagen",
  "Dahl",
  "Jørgensen",
  "Halvorsen",
  "Henriksen",
  "Lund",
  "Sørensen",
  "Strand",
  "Solberg",
  "Bakken",
  "Moen",
  "Aasen",
  "Bråten",
  "Lie",
];
const PRODUCT_NAMES = [
  "Månedskort Oslo sone 1",
  "Periodebillett 30 dager",
  "Pendlerkort Bergen–Voss",
  "Årskort ferje Bastø",
  "Ungdomskort 30 dager",
  "Honnørkort 7 dager",
];
const AGREEMENT_PRODUCTS = [
  "Periodebillett 30 dager",
  "Månedskort Nordbuss",
  "Ferjeabonnement Fjordferje",
  "Studentkort",
];
const COMPANY_CODES: Record<number, string> = { 1: "ENTUR", 20: "NORDBUSS", 30: "FJORDFERJE" };
const CLIENT_OF_ORGANISATION: Record<number, string> = { 1: "entur-sales", 20: "nordbuss-web", 30: "fjordferje-app" };
const BINS: Record<"VISA" | "MASTERCARD", string[]> = {
  VISA: ["411111", "457123", "492181"],
  MASTERCARD: ["545454", "522233", "510510"],
};
const DISABLED_METHODS = [
  {
    clientId: "nordbuss-web",
    channel: "web",
    paymentType: "AMEX",
    reason: "Amex agreement terminated by Nordbuss (ticket PAY-482)",
  },
  {
    clientId: "fjordferje-app",
    channel: "app",
    paymentType: "MOBILEPAY",
    reason: "MobilePay not offered on Norwegian routes",
  },
];

type CustomerSide = Omit<SeedSummary, "payments" | "transactions" | "operations" | "credits" | "creditTransactions">;

/** Small tables, inserted with plain multi-row INSERTs (well under the bind-parameter limit). */
export async function seedCustomerSide(handle: DatabaseHandle, rng: Rng, now: number): Promise<CustomerSide> {
  const db = bulkDb(handle);
  const organisations = new Set(
    (await db.query<{ id: number }>("select id from organisations")).map((r) => Number(r.id)),
  );
  const orgs = [1, 20, 30].filter((o) => organisations.has(o));
  const orgFor = (k: number) =>
    orgs.length ? orgs[k % 10 < 6 ? 0 : k % 10 < 8 ? 1 % orgs.length : 2 % orgs.length] : null;
  const day = (offset: number) => now + offset * DAY;
  const iso = (ms: number) => new Date(ms).toISOString();

  let disabled = 0;
  for (const method of DISABLED_METHODS) {
    const rows = await db.query(
      `update payment_methods set enabled = false, disabled_reason = $1, updated_at = $2
        where client_id = $3 and distribution_channel_id = $4 and payment_type = $5 returning id`,
      [method.reason, iso(now - 12 * DAY), method.clientId, method.channel, method.paymentType],
    );
    disabled += rows.length;
  }

  const customerLines: string[] = [];
  const recurringLines: string[] = [];
  const agreementLines: string[] = [];
  const productLines: string[] = [];
  const invoiceLines: string[] = [];
  let invoiceNumber = 1_000_001;
  for (let k = 0; k < CUSTOMER_POOL; k++) {
    const customerNumber = customerNumberOf(k);
    const first = FIRST_NAMES[k % FIRST_NAMES.length];
    const last = LAST_NAMES[(k * 7 + Math.floor(k / FIRST_NAMES.length)) % LAST_NAMES.length];
    const organisationId = orgFor(k);
    const clientId = organisationId === null ? null : (CLIENT_OF_ORGANISATION[organisationId] ?? null);
    const since = day(-rng.int(30, 900));
    customerLines.push(
      `${customerNumber}\t${text(`${first} ${last}`)}\t${ascii(`${first}.${last}.${k}`)}@example.no\t${NULL}\t${id(organisationId)}\t${stamp(since)}\n`,
    );

    if (organisationId !== null && rng.chance(0.35)) {
      const cards = rng.int(1, 3);
      let primaryGiven = false;
      const planned = Array.from({ length: cards }, () =>
        new Weighted<"ACTIVE" | "EXPIRED" | "CANCELLED" | "CREATED">([
          ["ACTIVE", 70],
          ["EXPIRED", 12],
          ["CANCELLED", 10],
          ["CREATED", 8],
        ]).pick(rng),
      );
      // Exactly one primary among the non-cancelled: an ACTIVE one if there is one.
      const primaryIndex =
        planned.indexOf("ACTIVE") >= 0 ? planned.indexOf("ACTIVE") : planned.findIndex((s) => s !== "CANCELLED");
      planned.forEach((status, index) => {
        const type = rng.chance(0.6) ? "VISA" : "MASTERCARD";
        const registered = since + rng.int(1, 25) * DAY;
        let cardExpiresAt: number | null = null;
        let expiresAt: number | null = null;
        let maskedPan: string | null = null;
        if (status !== "CREATED") {
          maskedPan = `${rng.pick(BINS[type])}******${rng.digits(4)}`;
          cardExpiresAt = status === "EXPIRED" ? endOfMonth(now, -rng.int(1, 10)) : endOfMonth(now, rng.int(6, 48));
          expiresAt =
            status !== "EXPIRED" && rng.chance(0.5)
              ? Math.min(cardExpiresAt, endOfMonth(now, rng.int(3, 24)))
              : cardExpiresAt;
        }
        const isPrimary = index === primaryIndex && !primaryGiven;
        if (isPrimary) primaryGiven = true;
        recurringLines.push(
          [
            organisationId,
            text(clientId),
            customerNumber,
            text(rng.pick(["Privat", "Jobb", "Reisekort", null])),
            flag(isPrimary),
            status,
            status === "CREATED" ? NULL : type,
            text(maskedPan),
            status === "CREATED" ? NULL : `ph_${token(rng, 24)}`,
            stamp(cardExpiresAt),
            stamp(expiresAt),
            stamp(Math.min(registered, now)),
            stamp(Math.min(registered + rng.int(0, 60) * DAY, now)),
          ].join("\t") + "\n",
        );
      });
    }

    if (organisationId !== null && rng.chance(0.2)) {
      for (let a = rng.int(1, 2); a > 0; a--) {
        const status = new Weighted<"ACTIVE" | "STOPPED" | "EXPIRED" | "PENDING" | "CREATED">([
          ["ACTIVE", 55],
          ["STOPPED", 15],
          ["EXPIRED", 10],
          ["PENDING", 10],
          ["CREATED", 10],
        ]).pick(rng);
        const created = Math.min(since + rng.int(1, 200) * DAY, now - HOUR);
        const pricing = rng.chance(0.75)
          ? { type: "LEGACY", amount: rng.pick(["99.00", "149.00", "299.00", "799.00"]), currency: "NOK" }
          : { type: "VARIABLE", suggestedMaxAmount: "2000.00", currency: "NOK" };
        const stoppedAt = status === "STOPPED" ? Math.min(created + rng.int(10, 300) * DAY, now) : null;
        agreementLines.push(
          [
            `agr_${rng.hex(20)}`,
            organisationId,
            text(clientId),
            customerNumber,
            text(rng.pick(AGREEMENT_PRODUCTS)),
            jsonValue(pricing),
            jsonValue({ type: "VIPPS" }),
            status,
            status === "CREATED" || status === "PENDING" ? rng.hex(32) : NULL,
            stamp(stoppedAt),
            stamp(created),
            stamp(stoppedAt ?? created),
          ].join("\t") + "\n",
        );
      }
    }

    if (organisationId !== null && rng.chance(0.4)) {
      for (let j = 1, n = rng.int(1, 2); j <= n; j++) {
        const productCode = `P${customerNumber}${j}`;
        const companyCode = COMPANY_CODES[organisationId] ?? `ORG${organisationId}`.slice(0, 12);
        const price = money(rng.pick(["390.00", "595.00", "790.00", "1290.00", "2450.00"]));
        productLines.push(
          [
            productCode,
            customerNumber,
            organisationId,
            companyCode,
            text(rng.pick(PRODUCT_NAMES)),
            rng.pick(PRODUCT_PAYMENT_METHODS),
            stamp(since),
            stamp(since),
          ].join("\t") + "\n",
        );
        for (let i = 0, count = rng.int(1, 4); i < count; i++) {
          const due = dueDate(now, -i);
          const paid = i > 0 || rng.chance(0.3);
          const paidAt = paid ? Math.min(Date.parse(`${due}T12:00:00Z`) - rng.int(0, 10) * DAY, now) : null;
          invoiceLines.push(
            [
              `F${invoiceNumber++}`,
              productCode,
              companyCode,
              customerNumber,
              amount(price),
              "NOK",
              due,
              paid ? "PAID" : "OPEN",
              NULL,
              stamp(paidAt),
              stamp(Date.parse(`${due}T06:00:00Z`) - 20 * DAY),
              stamp(paidAt ?? Date.parse(`${due}T06:00:00Z`) - 20 * DAY),
            ].join("\t") + "\n",
          );
        }
      }
    }
  }

  const giftCardLines: string[] = [];
  for (let g = 0; g < 60; g++) {
    const expired = rng.chance(0.15);
    giftCardLines.push(
      [
        `GC-${1000 + g}-${rng.digits(4)}`,
        id(orgs.length ? orgs[g % orgs.length] : null),
        amount(money(rng.pick(["0.00", "37.50", "50.00", "100.00", "250.00", "500.00", "1000.00"]))),
        "NOK",
        stamp(expired ? day(-rng.int(1, 120)) : day(rng.int(60, 1000))),
        stamp(day(-rng.int(130, 700))),
        stamp(day(-rng.int(0, 120))),
      ].join("\t") + "\n",
    );
  }

  await db.transaction(async (tx) => {
    await tx.copy(
      "customers",
      ["customer_number", "name", "email", "password_hash", "organisation_id", "created_at"],
      customerLines.join(""),
    );
    await tx.copy(
      "recurring_payments",
      [
        "organisation_id",
        "client_id",
        "customer_number",
        "nickname",
        "is_primary",
        "recurring_status",
        "payment_type",
        "masked_pan",
        "pan_hash",
        "card_expires_at",
        "expires_at",
        "created_at",
        "updated_at",
      ],
      recurringLines.join(""),
    );
    await tx.copy(
      "payment_agreements",
      [
        "agreement_id",
        "organisation_id",
        "client_id",
        "customer_number",
        "product_name",
        "pricing",
        "provider",
        "status",
        "confirmation_token",
        "stopped_at",
        "created_at",
        "updated_at",
      ],
      agreementLines.join(""),
    );
    await tx.copy(
      "gift_cards",
      ["gift_card_code", "organisation_id", "balance", "currency", "expires_at", "created_at", "updated_at"],
      giftCardLines.join(""),
    );
    await tx.copy(
      "products",
      [
        "product_code",
        "customer_number",
        "organisation_id",
        "company_code",
        "name",
        "current_payment_method",
        "created_at",
        "updated_at",
      ],
      productLines.join(""),
    );
    await tx.copy(
      "customer_invoices",
      [
        "invoice_number",
        "product_code",
        "company_code",
        "customer_number",
        "amount",
        "currency",
        "due_date",
        "status",
        "paid_transaction_id",
        "paid_at",
        "created_at",
        "updated_at",
      ],
      invoiceLines.join(""),
    );
  });
  return {
    customers: customerLines.length,
    recurringPayments: recurringLines.length,
    paymentAgreements: agreementLines.length,
    giftCards: giftCardLines.length,
    products: productLines.length,
    customerInvoices: invoiceLines.length,
    disabledPaymentMethods: disabled,
  };
}

/** Letters and digits (no long digit runs that a PAN scanner would flag). */
function token(rng: Rng, length: number): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[rng.u32() % alphabet.length];
  return out;
}

function ascii(value: string): string {
  return value
    .toLowerCase()
    .replace(/ø/g, "o")
    .replace(/æ/g, "ae")
    .replace(/å/g, "a")
    .replace(/[^a-z0-9.]/g, "");
}

/** The last millisecond of the month `months` from `now`'s month (UTC). */
function endOfMonth(now: number, months: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months + 1, 1) - 1;
}

/** The 20th of the month `months` from now, as a date string. */
function dueDate(now: number, months: number): string {
  const d = new Date(now);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 20)).toISOString().slice(0, 10);
}
