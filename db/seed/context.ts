// What the generator knows about the database it fills: the API clients and their channels, the
// staff who cancel and credit, the customers with their stored cards and agreements.
import { PAYMENT_TYPE_GROUP_OF, type PaymentType } from "../../app/domain/enums";
import type { SqlRunner } from "./copy";
import { syntheticCustomerPool } from "./customers";
import { Weighted } from "./prng";

export type ClientInfo = {
  clientId: string;
  organisationId: number;
  privileged: boolean;
  channels: Weighted<string>;
};

type RecurringInfo = { id: number; organisationId: number; paymentType: PaymentType | null; last4: string | null };

export type Context = {
  clients: Weighted<ClientInfo>;
  /** A privileged client selling at machines or desks, where imports come from (or null). */
  importer: { client: ClientInfo; channel: string } | null;
  staff: { support: StaffInfo[]; finance: StaffInfo[] };
  customers: string[];
  recurring: Map<string, RecurringInfo[]>;
  agreements: Map<string, { id: string; organisationId: number }[]>;
};

export type StaffInfo = { id: string; email: string };

const CLIENT_WEIGHTS: Record<string, number> = { "entur-sales": 50, "nordbuss-web": 30, "fjordferje-app": 20 };
const CHANNEL_WEIGHTS: Record<string, number> = { web: 50, app: 35, "ticket-machine": 12, "customer-service": 6 };

export async function loadContext(db: SqlRunner): Promise<Context> {
  const clients = await db.query<{
    client_id: string;
    organisation_id: number;
    privileged: boolean;
    distribution_channels: string[];
  }>(
    `select client_id, organisation_id, privileged, distribution_channels from api_clients
      where disabled_at is null order by client_id`,
  );
  if (!clients.length) {
    throw new Error(
      "No API clients in this database: start the app once (it seeds the demo base) or create one with `npm run cli -- create-client`.",
    );
  }
  const staff = await db.query<{ id: string; email: string; role: string }>(
    "select id, email, role from staff_users where disabled_at is null order by email",
  );
  const customerRows = await db.query<{ customer_number: string }>(
    "select customer_number from customers order by customer_number limit 5000",
  );
  const recurringRows = await db.query<{
    recurring_payment_id: string | number;
    customer_number: string;
    organisation_id: number;
    payment_type: string | null;
    masked_pan: string | null;
  }>(
    `select recurring_payment_id, customer_number, organisation_id, payment_type, masked_pan
       from recurring_payments where recurring_status = 'ACTIVE' order by recurring_payment_id`,
  );
  const agreementRows = await db.query<{ agreement_id: string; customer_number: string; organisation_id: number }>(
    `select agreement_id, customer_number, organisation_id from payment_agreements
      where status = 'ACTIVE' order by agreement_id`,
  );

  const recurring = new Map<string, RecurringInfo[]>();
  for (const r of recurringRows) {
    const list = recurring.get(r.customer_number) ?? [];
    list.push({
      id: Number(r.recurring_payment_id),
      organisationId: r.organisation_id,
      paymentType: r.payment_type && r.payment_type in PAYMENT_TYPE_GROUP_OF ? (r.payment_type as PaymentType) : null,
      last4: r.masked_pan ? r.masked_pan.slice(-4) : null,
    });
    recurring.set(r.customer_number, list);
  }
  const agreements = new Map<string, { id: string; organisationId: number }[]>();
  for (const a of agreementRows) {
    const list = agreements.get(a.customer_number) ?? [];
    list.push({ id: a.agreement_id, organisationId: a.organisation_id });
    agreements.set(a.customer_number, list);
  }
  const clientInfos = clients.map((c) => {
    const channels = c.distribution_channels?.length ? c.distribution_channels : ["web"];
    const info: ClientInfo = {
      clientId: c.client_id,
      organisationId: c.organisation_id,
      privileged: c.privileged,
      channels: new Weighted(channels.map((ch) => [ch, CHANNEL_WEIGHTS[ch] ?? 10] as const)),
    };
    return { info, channels };
  });
  let importer: Context["importer"] = null;
  for (const { info, channels } of clientInfos) {
    const channel = channels.find((ch) => ch === "ticket-machine" || ch === "customer-service");
    if (info.privileged && channel) {
      importer = { client: info, channel };
      break;
    }
  }
  const bySupport = staff.filter((s) => s.role === "support" || s.role === "admin");
  const byFinance = staff.filter((s) => s.role === "finance" || s.role === "admin");
  return {
    clients: new Weighted(clientInfos.map(({ info }) => [info, CLIENT_WEIGHTS[info.clientId] ?? 10] as const)),
    importer,
    staff: {
      support: bySupport.map(({ id, email }) => ({ id, email })),
      finance: byFinance.map(({ id, email }) => ({ id, email })),
    },
    customers: customerRows.length ? customerRows.map((r) => r.customer_number) : syntheticCustomerPool(),
    recurring,
    agreements,
  };
}
