// The whole Paydesk data model. Amounts are numeric(18,5) and reach TypeScript as strings, which
// the money module parses into scaled bigints; never a JS number. Timestamps carry milliseconds.
//
// Rules that must never break are backed here by constraints, not only by service code:
// one payment per organisation/order/version, one CAPTURE per transaction, credited + reserved +
// charged back <= captured, a unique rrn + terminalId per import, one primary recurring payment per customer,
// one idempotency record per client and key.
import { relations, sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  type ExtraConfigColumn,
  bigint,
  bigserial,
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const money = (name: string) => numeric(name, { precision: 18, scale: 5 });
const moneyZero = (name: string) => money(name).notNull().default("0");
const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: "date" });
const createdAt = () => ts("created_at").notNull().defaultNow();
const updatedAt = () => ts("updated_at").notNull().defaultNow();
const idRef = (name: string) => bigint(name, { mode: "number" });
const serialId = (name = "id") => bigserial(name, { mode: "number" }).primaryKey();
/** When the row was made and last changed: most tables end with both. */
const timestamps = () => ({ createdAt: createdAt(), updatedAt: updatedAt() });
const currencyNok = () => text("currency").notNull().default("NOK");
/** A message as a locale key and its values (the shape of the domain's `Say`; db/ imports nothing from app/). */
type StoredSay = { key: string; values?: { [name: string]: string | number | StoredSay } };

const jsonObject = (name: string) => jsonb(name).$type<Record<string, unknown>>();
/**
 * Newest first: `.desc()` alone makes drizzle emit DESC NULLS LAST, which `ORDER BY … DESC` (NULLS
 * FIRST) cannot use, so every newest-first index says nullsFirst() (docs/decisions/005).
 */
const newestFirst = (createdAt: ExtraConfigColumn, id: ExtraConfigColumn) =>
  [createdAt.desc().nullsFirst(), id.desc().nullsFirst()] as const;
const inList = (column: string, values: readonly string[]) =>
  sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(", ")})`);

// ---------------------------------------------------------------- the values of status and enum columns
// What each status or enum column may hold: its CHECK constraint and its TypeScript type (selecting
// the column yields the union). db/ imports nothing from app/, so app/domain/enums.ts (and the
// roles and self-service modules) keep the same lists for validation; db/schema.test.ts asserts
// that they are equal. The order is the order of the values in the CHECK.

export const TRANSACTION_STATUS_VALUES = [
  "CREATED",
  "INITIATED",
  "AUTHORIZED",
  "CAPTURED",
  "CREDITED",
  "CANCELLED",
] as const;
export const PAYMENT_TYPE_GROUP_VALUES = [
  "PAYMENTCARD",
  "MOBILE",
  "INVOICE",
  "GIFTCARD",
  "ECARD",
  "CASH",
  "AGENT",
] as const;
export const SCA_EXEMPTION_VALUES = ["NO_EXEMPTION", "LOW_VALUE"] as const;
export const OPERATION_VALUES = [
  "CREATE",
  "INITIATE",
  "AUTHORIZE",
  "CAPTURE",
  "CANCEL",
  "CREDIT",
  "IMPORT",
  "UPDATE",
] as const;
export const CREDIT_STATUS_VALUES = ["CREATED", "CREDITED"] as const;
export const CHARGEBACK_STATUS_VALUES = ["OPEN", "WON", "LOST"] as const;
export const CHARGEBACK_SOURCE_VALUES = ["MANUAL", "REPORT"] as const;
export const CREDIT_TRANSACTION_STATUS_VALUES = ["CREATED", "CREDITED", "FAILED"] as const;
export const RECURRING_STATUS_VALUES = ["CREATED", "ACTIVE", "EXPIRED", "CANCELLED"] as const;
export const AGREEMENT_STATUS_VALUES = ["CREATED", "PENDING", "ACTIVE", "STOPPED", "EXPIRED"] as const;
export const INVOICE_STATUS_VALUES = ["OPEN", "PAID"] as const;
export const PAYMENT_CHANGE_STATUS_VALUES = ["CREATED", "INITIATED", "FINISHED", "CANCELLED", "FAILED"] as const;
export const CUSTOMER_TOKEN_KIND_VALUES = ["code", "access"] as const;
export const ROLE_VALUES = ["support", "finance", "admin"] as const;
export const COLOR_SCHEME_VALUES = ["auto", "light", "dark"] as const;
/** What a staff session still lacks before it opens the back-office (null: nothing). */
export const STAFF_SESSION_STEP_VALUES = ["totp", "enrol"] as const;
export const PROVIDER_OPERATION_KIND_VALUES = [
  "CAPTURE",
  "CANCEL",
  "AUTHORIZE",
  "REFUND",
  "CARD_AUTHORIZE",
  "STORED_CARD_CHARGE",
  "VIPPS_CLAIM",
  "VIPPS_CHARGE",
  "WALLET_AUTHORIZE",
  "INVOICE_AUTHORIZE",
  "INVOICE_PAY",
  "METHOD_REGISTRATION",
] as const;
export const PROVIDER_OPERATION_STATUS_VALUES = ["PENDING", "SUCCEEDED", "FAILED"] as const;

type ValueOf<List extends readonly string[]> = List[number];

// ---------------------------------------------------------------- tenants and API clients

export const organisations = pgTable("organisations", {
  id: integer("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

const organisationRef = () => integer("organisation_id").references(() => organisations.id);

export const apiClients = pgTable(
  "api_clients",
  {
    clientId: text("client_id").primaryKey(),
    name: text("name").notNull(),
    organisationId: organisationRef().notNull(),
    /** Internal or partner tenant: may import, may set customerNumber. */
    privileged: boolean("privileged").notNull().default(false),
    onBehalfOfAllowed: boolean("on_behalf_of_allowed").notNull().default(false),
    distributionChannels: text("distribution_channels")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Allowed prefixes for redirectUrl / returnUrl / errorUrl (no open redirects). */
    allowedRedirectPrefixes: text("allowed_redirect_prefixes")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** SHA-256 of the bearer token; the token itself is shown once and never stored. */
    tokenHash: text("token_hash").notNull(),
    tokenPrefix: text("token_prefix").notNull(),
    rateLimitPerMinute: integer("rate_limit_per_minute").notNull().default(600),
    disabledAt: ts("disabled_at"),
    ...timestamps(),
  },
  (t) => [uniqueIndex("api_clients_token_hash_uq").on(t.tokenHash)],
);

const clientRef = () => text("client_id").references(() => apiClients.clientId);

export const paymentMethods = pgTable(
  "payment_methods",
  {
    id: serialId(),
    clientId: clientRef().notNull(),
    distributionChannelId: text("distribution_channel_id").notNull(),
    paymentType: text("payment_type").notNull(),
    paymentTypeGroup: text("payment_type_group").$type<ValueOf<typeof PAYMENT_TYPE_GROUP_VALUES>>().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    /** Why an admin disabled it; shown in the back-office and the audit log. */
    disabledReason: text("disabled_reason"),
    /** Whether a credit may be reimbursed through another payment type group. */
    allowsReimbursementOverride: boolean("allows_reimbursement_override").notNull().default(false),
    paymentConfiguration: jsonObject("payment_configuration"),
    fee: money("fee"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("payment_methods_client_channel_type_uq").on(t.clientId, t.distributionChannelId, t.paymentType),
    check("payment_methods_group_ck", inList("payment_type_group", PAYMENT_TYPE_GROUP_VALUES)),
  ],
);

// ---------------------------------------------------------------- payments and transactions

export const payments = pgTable(
  "payments",
  {
    paymentId: serialId("payment_id"),
    organisationId: organisationRef().notNull(),
    /** Optional in the seed; when given, one payment per organisation, orderId and orderVersion. */
    orderId: text("order_id"),
    orderVersion: integer("order_version"),
    totalAmount: money("total_amount").notNull(),
    currency: currencyNok(),
    active: boolean("active").notNull().default(true),
    settlementId: text("settlement_id"),
    customerNumber: text("customer_number"),
    createdByClientId: text("created_by_client_id"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("payments_org_order_version_uq").on(t.organisationId, t.orderId, t.orderVersion),
    index("payments_created_at_idx").on(...newestFirst(t.createdAt, t.paymentId)),
    index("payments_org_created_at_idx").on(t.organisationId, ...newestFirst(t.createdAt, t.paymentId)),
    index("payments_order_id_idx").on(t.orderId),
    index("payments_customer_number_idx").on(t.customerNumber),
    // Ordered too: a settlement's payments lie on one day, so "walk newest-first and filter" (the
    // plan a LIMIT invites) would read every payment since that day.
    index("payments_settlement_id_idx").on(t.settlementId, ...newestFirst(t.createdAt, t.paymentId)),
    index("payments_total_amount_idx").on(t.totalAmount),
    // The search for everything: an orderId by any part of it, in any case (pg_trgm; its migration
    // creates the extension, docs/decisions/030-search-for-everything.md).
    index("payments_order_id_trgm_idx").using("gin", sql`lower(${t.orderId}) gin_trgm_ops`),
    // …and the whole orderId in any case, which ranks first: a trigram scan for a whole id reads
    // the entries every order shares ("ord", "202"), a b-tree finds it at once.
    index("payments_order_id_lower_idx").on(sql`lower(${t.orderId})`),
    // What payment_transactions' (payment_id, organisation_id) foreign key points to, so that a
    // transaction's organisation is its payment's (docs/decisions/059).
    unique("payments_payment_id_organisation_id_uq").on(t.paymentId, t.organisationId),
    check("payments_total_amount_ck", sql`total_amount > 0`),
    check("payments_currency_ck", sql`currency ~ '^[A-Z]{3}$'`),
  ],
);

const paymentRef = () => idRef("payment_id").references(() => payments.paymentId);

export const paymentTransactions = pgTable(
  "payment_transactions",
  {
    transactionId: serialId("transaction_id"),
    /** References payments through (payment_id, organisation_id) below. */
    paymentId: idRef("payment_id").notNull(),
    /**
     * Its payment's organisation (the foreign key below makes it so), for the searches of an API
     * client confined to one organisation (docs/decisions/059-organisation-on-transactions.md).
     */
    organisationId: integer("organisation_id").notNull(),
    amount: money("amount").notNull(),
    currency: text("currency").notNull(),
    status: text("status").$type<ValueOf<typeof TRANSACTION_STATUS_VALUES>>().notNull().default("CREATED"),
    /** Null while only the group is known (a card's scheme is known once it is entered). */
    paymentType: text("payment_type"),
    paymentTypeGroup: text("payment_type_group").$type<ValueOf<typeof PAYMENT_TYPE_GROUP_VALUES>>().notNull(),
    /** Group a credit is reimbursed through when the method allows overriding it. */
    reimbursementTypeGroup: text("reimbursement_type_group"),
    distributionChannelId: text("distribution_channel_id"),
    rrn: text("rrn"),
    /** Last 4 digits of the card; nothing more of a PAN is ever stored. */
    cardNumber: text("card_number"),
    externalTransactionId: text("external_transaction_id"),
    recurringPaymentId: idRef("recurring_payment_id"),
    paymentAgreementId: text("payment_agreement_id"),
    isImport: boolean("is_import").notNull().default(false),
    scaExemption: text("sca_exemption").$type<ValueOf<typeof SCA_EXEMPTION_VALUES>>().notNull().default("NO_EXEMPTION"),
    with3DSecure: boolean("with_3d_secure"),
    /** Import flow: terminal that, with rrn, makes an imported transaction unique. */
    terminalId: text("terminal_id"),
    importData: jsonObject("import_data"),
    fee: money("fee"),
    // Summary sums, kept in the same DB transaction as each operation. `reserved` is what
    // unexecuted credits hold back and `chargedBack` what open and lost chargebacks take
    // (docs/decisions/040), so creditable = captured - credited - reserved - chargedBack.
    authorizedAmount: moneyZero("authorized_amount"),
    capturedAmount: moneyZero("captured_amount"),
    creditedAmount: moneyZero("credited_amount"),
    cancelledAmount: moneyZero("cancelled_amount"),
    reservedAmount: moneyZero("reserved_amount"),
    chargedBackAmount: moneyZero("charged_back_amount"),
    /** Pre-authorization bookkeeping: last kind of authorization, and frozen after a reduction. */
    lastAuthorization: text("last_authorization"),
    amountFrozen: boolean("amount_frozen").notNull().default(false),
    ...timestamps(),
  },
  (t) => [
    index("payment_transactions_payment_idx").on(t.paymentId, t.transactionId),
    index("payment_transactions_rrn_idx").on(t.rrn),
    index("payment_transactions_card_number_idx").on(t.cardNumber),
    index("payment_transactions_external_id_idx").on(t.externalTransactionId),
    index("payment_transactions_status_idx").on(t.status, t.paymentId),
    index("payment_transactions_type_idx").on(t.paymentType, t.paymentId),
    index("payment_transactions_group_idx").on(t.paymentTypeGroup, t.paymentId),
    // An API client's broad filters: its matching payments' ids straight from one index, in
    // order, for the capped count (docs/decisions/059). The narrow filters (rrn, card…) need none.
    index("payment_transactions_org_status_idx").on(t.organisationId, t.status, t.paymentId),
    index("payment_transactions_org_type_idx").on(t.organisationId, t.paymentType, t.paymentId),
    index("payment_transactions_org_group_idx").on(t.organisationId, t.paymentTypeGroup, t.paymentId),
    foreignKey({
      name: "payment_transactions_payment_organisation_fk",
      columns: [t.paymentId, t.organisationId],
      foreignColumns: [payments.paymentId, payments.organisationId],
    }),
    uniqueIndex("payment_transactions_import_rrn_terminal_uq")
      .on(t.rrn, t.terminalId)
      .where(sql`is_import and rrn is not null and terminal_id is not null`),
    check("payment_transactions_status_ck", inList("status", TRANSACTION_STATUS_VALUES)),
    check("payment_transactions_group_ck", inList("payment_type_group", PAYMENT_TYPE_GROUP_VALUES)),
    check("payment_transactions_sca_ck", inList("sca_exemption", SCA_EXEMPTION_VALUES)),
    check("payment_transactions_amount_ck", sql`amount > 0`),
    check("payment_transactions_card_number_ck", sql`card_number is null or card_number ~ '^[0-9]{4}$'`),
    // The money invariant, enforced by the database itself.
    check(
      "payment_transactions_sums_ck",
      sql`reserved_amount >= 0 and credited_amount >= 0 and charged_back_amount >= 0 and credited_amount + reserved_amount + charged_back_amount <= captured_amount and captured_amount <= authorized_amount`,
    ),
  ],
);

const transactionRef = () => idRef("transaction_id").references(() => paymentTransactions.transactionId);

/** Append-only: every successful operation on a transaction. */
export const operationLog = pgTable(
  "operation_log",
  {
    id: serialId(),
    transactionId: transactionRef().notNull(),
    paymentId: idRef("payment_id").notNull(),
    operation: text("operation").$type<ValueOf<typeof OPERATION_VALUES>>().notNull(),
    amount: money("amount"),
    correlationId: text("correlation_id").notNull(),
    clientName: text("client_name"),
    pos: text("pos"),
    distributionChannel: text("distribution_channel"),
    actorType: text("actor_type").notNull(),
    /** API client id, staff user email, or "system". */
    actor: text("actor").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("operation_log_transaction_idx").on(t.transactionId, t.id),
    index("operation_log_payment_idx").on(t.paymentId),
    index("operation_log_created_at_idx").on(...newestFirst(t.createdAt, t.id)),
    index("operation_log_correlation_idx").on(t.correlationId),
    // The staff operation-log filters (docs/decisions/011): plain single-column indexes, which
    // PostgreSQL deduplicates (27 MB each at 4 M rows), so a rare value (one ticket machine, an
    // UPDATE, a mistyped client name) is found without walking the whole log newest-first.
    index("operation_log_operation_idx").on(t.operation),
    index("operation_log_client_name_idx").on(t.clientName),
    index("operation_log_pos_idx").on(t.pos),
    index("operation_log_channel_idx").on(t.distributionChannel),
    index("operation_log_actor_idx").on(t.actor),
    uniqueIndex("operation_log_one_capture_uq")
      .on(t.transactionId)
      .where(sql`operation = 'CAPTURE'`),
    check("operation_log_operation_ck", inList("operation", OPERATION_VALUES)),
  ],
);

/**
 * A hosted provider page (card terminal, Vipps claim, wallet 3DS, invoice, pay page) that a
 * customer visits by its unguessable token; expires (15 minutes for terminals).
 */
export const providerSessions = pgTable(
  "provider_sessions",
  {
    id: serialId(),
    token: text("token").notNull(),
    kind: text("kind").notNull(),
    transactionId: transactionRef(),
    paymentId: idRef("payment_id"),
    redirectUrl: text("redirect_url"),
    callbackUrl: text("callback_url"),
    options: jsonObject("options").notNull().default({}),
    outcome: text("outcome"),
    expiresAt: ts("expires_at").notNull(),
    completedAt: ts("completed_at"),
    createdAt: createdAt(),
    /** Self-service: the payment change this page registers. */
    paymentChangeId: idRef("payment_change_id").references((): AnyPgColumn => paymentChanges.paymentChangeId),
  },
  (t) => [
    uniqueIndex("provider_sessions_token_uq").on(t.token),
    index("provider_sessions_transaction_idx").on(t.transactionId),
    index("provider_sessions_payment_change_idx").on(t.paymentChangeId),
  ],
);

// ---------------------------------------------------------------- credits

export const credits = pgTable(
  "credits",
  {
    creditId: serialId("credit_id"),
    organisationId: organisationRef().notNull(),
    orderId: text("order_id"),
    orderVersion: integer("order_version"),
    totalCreditAmount: money("total_credit_amount").notNull(),
    currency: currencyNok(),
    active: boolean("active").notNull().default(true),
    status: text("status").$type<ValueOf<typeof CREDIT_STATUS_VALUES>>().notNull().default("CREATED"),
    settlementId: text("settlement_id"),
    customerNumber: text("customer_number"),
    createdByClientId: text("created_by_client_id"),
    /** Staff user who created it: the four-eyes rule forbids them to execute a large one. */
    createdByStaffUserId: text("created_by_staff_user_id"),
    reason: text("reason"),
    ...timestamps(),
  },
  (t) => [
    index("credits_created_at_idx").on(...newestFirst(t.createdAt, t.creditId)),
    index("credits_org_created_at_idx").on(t.organisationId, ...newestFirst(t.createdAt, t.creditId)),
    index("credits_order_id_idx").on(t.orderId),
    index("credits_customer_number_idx").on(t.customerNumber),
    index("credits_settlement_id_idx").on(t.settlementId),
    check("credits_status_ck", inList("status", CREDIT_STATUS_VALUES)),
    check("credits_total_ck", sql`total_credit_amount > 0`),
  ],
);

export const creditTransactions = pgTable(
  "credit_transactions",
  {
    creditTransactionId: serialId("credit_transaction_id"),
    creditId: idRef("credit_id")
      .notNull()
      .references(() => credits.creditId),
    paymentId: paymentRef().notNull(),
    transactionId: transactionRef().notNull(),
    amount: money("amount").notNull(),
    status: text("status").$type<ValueOf<typeof CREDIT_TRANSACTION_STATUS_VALUES>>().notNull().default("CREATED"),
    reimbursementMethod: text("reimbursement_method").notNull(),
    reimbursementTypeGroup: text("reimbursement_type_group").notNull(),
    rrn: text("rrn"),
    /**
     * Set when an execution claims this row (under a row lock) before calling the provider;
     * a retry that finds a claim without an outcome asks the provider by this reference
     * instead of crediting again.
     */
    claimedAt: ts("claimed_at"),
    providerReference: text("provider_reference"),
    creditedAt: ts("credited_at"),
    failureReason: text("failure_reason"),
    ...timestamps(),
  },
  (t) => [
    index("credit_transactions_credit_idx").on(t.creditId, t.creditTransactionId),
    index("credit_transactions_transaction_idx").on(t.transactionId),
    index("credit_transactions_rrn_idx").on(t.rrn),
    uniqueIndex("credit_transactions_provider_reference_uq").on(t.providerReference),
    check("credit_transactions_status_ck", inList("status", CREDIT_TRANSACTION_STATUS_VALUES)),
    check("credit_transactions_amount_ck", sql`amount > 0`),
  ],
);

/**
 * A card-scheme dispute on one captured transaction (docs/decisions/040): OPEN when it arrives
 * (entered by finance, or from a settlement report's CHARGEBACK line), then WON or LOST. An open
 * or lost chargeback holds its amount in the transaction's charged_back_amount; a won one gives
 * it back. A lost one is the day's charged-back volume in daily_volume.
 */
export const chargebacks = pgTable(
  "chargebacks",
  {
    chargebackId: serialId("chargeback_id"),
    organisationId: organisationRef().notNull(),
    paymentId: paymentRef().notNull(),
    transactionId: transactionRef().notNull(),
    amount: money("amount").notNull(),
    currency: currencyNok(),
    status: text("status").$type<ValueOf<typeof CHARGEBACK_STATUS_VALUES>>().notNull().default("OPEN"),
    /** The card scheme's reason code (e.g. 10.4, 4837), as the scheme or the report gives it. */
    reasonCode: text("reason_code").notNull(),
    /** The day by which evidence must reach the scheme. */
    dueDate: date("due_date", { mode: "string" }),
    notes: text("notes"),
    evidence: text("evidence"),
    source: text("source").$type<ValueOf<typeof CHARGEBACK_SOURCE_VALUES>>().notNull().default("MANUAL"),
    /** The settlement-report line it came from (source REPORT); the reconciliation feature fills it. */
    reportLineId: idRef("report_line_id"),
    createdByStaffUserId: text("created_by_staff_user_id"),
    decidedAt: ts("decided_at"),
    decidedByStaffUserId: text("decided_by_staff_user_id"),
    /** Why it was decided so (the staff action's reason). */
    decisionReason: text("decision_reason"),
    ...timestamps(),
  },
  (t) => [
    index("chargebacks_created_at_idx").on(...newestFirst(t.createdAt, t.chargebackId)),
    index("chargebacks_org_created_at_idx").on(t.organisationId, ...newestFirst(t.createdAt, t.chargebackId)),
    index("chargebacks_transaction_idx").on(t.transactionId),
    index("chargebacks_payment_idx").on(t.paymentId),
    index("chargebacks_status_due_idx").on(t.status, t.dueDate),
    uniqueIndex("chargebacks_report_line_uq")
      .on(t.reportLineId)
      .where(sql`report_line_id is not null`),
    check("chargebacks_status_ck", inList("status", CHARGEBACK_STATUS_VALUES)),
    check("chargebacks_source_ck", inList("source", CHARGEBACK_SOURCE_VALUES)),
    check("chargebacks_amount_ck", sql`amount > 0`),
    check("chargebacks_decided_ck", sql`(status = 'OPEN') = (decided_at is null)`),
  ],
);

export const BULK_CREDIT_OUTCOME_VALUES = [
  "skipped",
  "refused",
  "created",
  "executed",
  "awaiting_second_person",
  "execution_failed",
] as const;

/**
 * A bulk credit run of the payments list (docs/decisions/041): its id comes from the preview, so a
 * repeated confirm (double click, reload) finds the run instead of starting another.
 */
export const bulkCreditRuns = pgTable("bulk_credit_runs", {
  runId: text("run_id").primaryKey(),
  staffUserId: text("staff_user_id").notNull(),
  reason: text("reason").notNull(),
  /** "full", or the percentage of the creditable amount as typed ("50", "12.5"). */
  amountRule: text("amount_rule").notNull(),
  createdAt: createdAt(),
  finishedAt: ts("finished_at"),
});

/**
 * One payment of a bulk credit run and what became of it. The row of a created credit is written
 * in the credit's own DB transaction, so a payment is credited at most once per run.
 */
export const bulkCreditItems = pgTable(
  "bulk_credit_items",
  {
    runId: text("run_id")
      .notNull()
      .references(() => bulkCreditRuns.runId),
    paymentId: idRef("payment_id").notNull(),
    outcome: text("outcome").$type<ValueOf<typeof BULK_CREDIT_OUTCOME_VALUES>>().notNull(),
    creditId: idRef("credit_id").references(() => credits.creditId),
    currency: text("currency"),
    amount: money("amount"),
    /** Why it was skipped, refused or waits, in the service's (English) words. */
    message: text("message"),
    /** The same as a locale key and its values, so a screen says it in the reader's language. */
    say: jsonb("say").$type<StoredSay>(),
    ...timestamps(),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.paymentId] }),
    check("bulk_credit_items_outcome_ck", inList("outcome", BULK_CREDIT_OUTCOME_VALUES)),
  ],
);

// ---------------------------------------------------------------- stored cards and agreements

export const recurringPayments = pgTable(
  "recurring_payments",
  {
    recurringPaymentId: serialId("recurring_payment_id"),
    organisationId: organisationRef().notNull(),
    clientId: text("client_id"),
    customerNumber: text("customer_number").notNull(),
    nickname: text("nickname"),
    isPrimary: boolean("is_primary").notNull().default(false),
    recurringStatus: text("recurring_status")
      .$type<ValueOf<typeof RECURRING_STATUS_VALUES>>()
      .notNull()
      .default("CREATED"),
    paymentType: text("payment_type"),
    /** First 6 and last 4 digits at most, e.g. 411111******1111. */
    maskedPan: text("masked_pan"),
    /** Opaque reference from the PSP for merchant-initiated charges. */
    panHash: text("pan_hash"),
    cardExpiresAt: ts("card_expires_at"),
    expiresAt: ts("expires_at"),
    ...timestamps(),
  },
  (t) => [
    index("recurring_payments_customer_idx").on(t.customerNumber),
    uniqueIndex("recurring_payments_one_primary_uq")
      .on(t.customerNumber)
      .where(sql`is_primary and recurring_status <> 'CANCELLED'`),
    check("recurring_payments_status_ck", inList("recurring_status", RECURRING_STATUS_VALUES)),
    check("recurring_payments_masked_pan_ck", sql`masked_pan is null or masked_pan ~ '^[0-9]{0,6}[*]+[0-9]{4}$'`),
  ],
);

export const paymentAgreements = pgTable(
  "payment_agreements",
  {
    agreementId: text("agreement_id").primaryKey(),
    organisationId: organisationRef().notNull(),
    clientId: text("client_id"),
    customerNumber: text("customer_number").notNull(),
    productName: text("product_name").notNull(),
    pricing: jsonObject("pricing").notNull(),
    provider: jsonObject("provider").notNull(),
    status: text("status").$type<ValueOf<typeof AGREEMENT_STATUS_VALUES>>().notNull().default("CREATED"),
    confirmationToken: text("confirmation_token"),
    stoppedAt: ts("stopped_at"),
    ...timestamps(),
  },
  (t) => [
    index("payment_agreements_customer_idx").on(t.customerNumber, t.status),
    check("payment_agreements_status_ck", inList("status", AGREEMENT_STATUS_VALUES)),
  ],
);

export const giftCards = pgTable(
  "gift_cards",
  {
    giftCardCode: text("gift_card_code").primaryKey(),
    organisationId: organisationRef(),
    balance: money("balance").notNull(),
    currency: currencyNok(),
    expiresAt: ts("expires_at"),
    ...timestamps(),
  },
  () => [check("gift_cards_balance_ck", sql`balance >= 0`)],
);

export const invoices = pgTable(
  "invoices",
  {
    invoiceId: text("invoice_id").primaryKey(),
    paymentId: paymentRef().notNull(),
    transactionId: transactionRef().notNull(),
    paymentType: text("payment_type").notNull(),
    amount: money("amount").notNull(),
    redirectUrl: text("redirect_url"),
    languageCode: text("language_code"),
    externalInvoiceNumber: text("external_invoice_number"),
    customerIdentificationNumber: text("customer_identification_number"),
    publicToken: text("public_token"),
    expiryDate: date("expiry_date", { mode: "string" }),
    /** Set when the customer confirms it on the invoice page; after that it cannot change. */
    confirmedAt: ts("confirmed_at"),
    replacedAt: ts("replaced_at"),
    ...timestamps(),
  },
  (t) => [index("invoices_transaction_idx").on(t.transactionId)],
);

// ---------------------------------------------------------------- product self-service

export const customers = pgTable(
  "customers",
  {
    customerNumber: text("customer_number").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull().unique(),
    passwordHash: text("password_hash"),
    organisationId: organisationRef(),
    createdAt: createdAt(),
  },
  (t) => [
    // The search for everything finds a customer by any part of the email or name, in any case.
    index("customers_email_trgm_idx").using("gin", sql`lower(${t.email}) gin_trgm_ops`),
    index("customers_name_trgm_idx").using("gin", sql`lower(${t.name}) gin_trgm_ops`),
  ],
);

const customerRef = () => text("customer_number").references(() => customers.customerNumber);

export const customerSessions = pgTable("customer_sessions", {
  id: text("id").primaryKey(),
  customerNumber: customerRef().notNull(),
  expiresAt: ts("expires_at").notNull(),
  createdAt: createdAt(),
});

export const products = pgTable(
  "products",
  {
    productCode: text("product_code").primaryKey(),
    customerNumber: customerRef().notNull(),
    organisationId: organisationRef(),
    companyCode: text("company_code").notNull(),
    name: text("name").notNull(),
    currentPaymentMethod: text("current_payment_method").notNull(),
    ...timestamps(),
  },
  (t) => [
    index("products_customer_idx").on(t.customerNumber),
    check("products_code_len_ck", sql`char_length(product_code) <= 12 and char_length(company_code) <= 12`),
  ],
);

const productRef = () => text("product_code").references(() => products.productCode);

export const customerInvoices = pgTable(
  "customer_invoices",
  {
    invoiceNumber: text("invoice_number").primaryKey(),
    productCode: productRef().notNull(),
    companyCode: text("company_code").notNull(),
    customerNumber: customerRef().notNull(),
    amount: money("amount").notNull(),
    currency: currencyNok(),
    dueDate: date("due_date", { mode: "string" }).notNull(),
    status: text("status").$type<ValueOf<typeof INVOICE_STATUS_VALUES>>().notNull().default("OPEN"),
    paidTransactionId: idRef("paid_transaction_id"),
    paidAt: ts("paid_at"),
    ...timestamps(),
    /**
     * The payment that pays this invoice online (self-service), made on the first attempt; each
     * attempt is a transaction of it and a new attempt cancels the open one, so its total
     * (the invoice amount) can be claimed by one live attempt only.
     */
    paymentId: paymentRef(),
    /** The seed-004 method (creditcardPayex, swishPayex, …) of the latest attempt: which provider page it runs. */
    paymentMethod: text("payment_method"),
  },
  (t) => [
    index("customer_invoices_customer_idx").on(t.customerNumber),
    check("customer_invoices_number_len_ck", sql`char_length(invoice_number) <= 10`),
    check("customer_invoices_status_ck", inList("status", INVOICE_STATUS_VALUES)),
    check("customer_invoices_paid_ck", sql`(status = 'PAID') = (paid_at is not null)`),
    uniqueIndex("customer_invoices_payment_uq").on(t.paymentId),
  ],
);

export const paymentChanges = pgTable(
  "payment_changes",
  {
    paymentChangeId: serialId("payment_change_id"),
    productCode: productRef().notNull(),
    customerNumber: text("customer_number").notNull(),
    paymentMethod: text("payment_method").notNull(),
    result: text("result"),
    completedAt: ts("completed_at"),
    createdAt: createdAt(),
    /** The API client that asked for it; null when the customer did so on /account. */
    clientId: text("client_id"),
    status: text("status").$type<ValueOf<typeof PAYMENT_CHANGE_STATUS_VALUES>>().notNull().default("CREATED"),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("payment_changes_product_idx").on(t.productCode),
    check("payment_changes_status_ck", inList("status", PAYMENT_CHANGE_STATUS_VALUES)),
  ],
);

/**
 * What lets an API client act for a logged-in customer (docs/decisions/009): a one-time
 * authorization `code` handed to the client's redirect URI after login, exchanged for an
 * `access` token sent as Entur-Customer-Token. Stored as SHA-256; both die with the session.
 */
export const customerTokens = pgTable(
  "customer_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    kind: text("kind").$type<ValueOf<typeof CUSTOMER_TOKEN_KIND_VALUES>>().notNull(),
    customerNumber: customerRef().notNull(),
    clientId: clientRef().notNull(),
    sessionId: text("session_id")
      .notNull()
      .references(() => customerSessions.id, { onDelete: "cascade" }),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("customer_tokens_session_idx").on(t.sessionId),
    check("customer_tokens_kind_ck", inList("kind", CUSTOMER_TOKEN_KIND_VALUES)),
  ],
);

// ---------------------------------------------------------------- API plumbing

/** Idempotency-Key records, scoped to the client; replayed for 24 hours. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    clientId: text("client_id").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    /**
     * IN_PROGRESS while the first request runs, DONE once its response is stored, UNANSWERED when
     * it changed something but ended in a server error (so its answer can never be replayed).
     */
    state: text("state").notNull(),
    responseStatus: integer("response_status"),
    responseHeaders: jsonb("response_headers").$type<Record<string, string>>(),
    responseBody: text("response_body"),
    /**
     * Set inside the first request's own database transaction when it commits: from then on the
     * request has had its effect, so it must never run again under this key, even if the process
     * dies before the response is stored.
     */
    effectCommittedAt: ts("effect_committed_at"),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.key] }), index("idempotency_keys_expires_idx").on(t.expiresAt)],
);

/**
 * Durable outbox of callbacks, delivered with backoff until the receiver answers 202. Each row
 * names the client whose callbackUrl it is and what it announces, so the client (GET /v1/callbacks)
 * and staff (the Callbacks screen) can find it; every delivery attempt is a callback_attempts row
 * (docs/decisions/034-callback-deliveries.md).
 */
export const callbackOutbox = pgTable(
  "callback_outbox",
  {
    id: serialId(),
    url: text("url").notNull(),
    /** The receiver: the URL's scheme, host and port (`https://hooks.example:8443`), which staff pause. */
    target: text("target").notNull().default(""),
    payload: jsonObject("payload").notNull(),
    /** The API client that asked for the callback (null: rows from before 0014, or no client known). */
    clientId: clientRef(),
    organisationId: organisationRef(),
    paymentId: idRef("payment_id"),
    transactionId: idRef("transaction_id"),
    /** Of the request whose change the callback announces (as on its operation-log entry). */
    correlationId: text("correlation_id"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    deliveredAt: ts("delivered_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("callback_outbox_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`delivered_at is null`),
    index("callback_outbox_created_at_idx").on(...newestFirst(t.createdAt, t.id)),
    index("callback_outbox_client_idx").on(t.clientId, t.organisationId, ...newestFirst(t.createdAt, t.id)),
    index("callback_outbox_target_idx")
      .on(t.clientId, t.target)
      .where(sql`delivered_at is null`),
    index("callback_outbox_transaction_idx").on(t.transactionId),
    index("callback_outbox_correlation_idx").on(t.correlationId),
  ],
);

/**
 * One row per delivery attempt of a callback, written in the same DB transaction as the outbox
 * row's new state. `statusCode` null: no HTTP answer (refused, timed out); `error` says why it was
 * not accepted (masked of card numbers, at most 500 characters).
 */
export const callbackAttempts = pgTable(
  "callback_attempts",
  {
    id: serialId(),
    callbackId: idRef("callback_id")
      .notNull()
      .references(() => callbackOutbox.id, { onDelete: "cascade" }),
    attemptedAt: ts("attempted_at").notNull(),
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms").notNull(),
    error: text("error"),
    delivered: boolean("delivered").notNull(),
  },
  (t) => [index("callback_attempts_callback_idx").on(t.callbackId, t.attemptedAt)],
);

/**
 * A client's callback target whose delivery an admin paused: its callbacks stay queued and are
 * delivered after the pause is lifted (the row deleted; both are in the audit log).
 */
export const callbackPauses = pgTable(
  "callback_pauses",
  {
    clientId: text("client_id")
      .notNull()
      .references(() => apiClients.clientId),
    target: text("target").notNull(),
    pausedAt: ts("paused_at").notNull().defaultNow(),
    pausedBy: text("paused_by").notNull(),
    reason: text("reason").notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.target] })],
);

/**
 * The API rate limit's fixed-window counters, shared by all instances
 * (app/platform/rate-limit.server.ts; `window_start` is the window's start).
 */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text("key").notNull(),
    windowStart: ts("window_start").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

/**
 * Failed logins per counter (docs/decisions/024-login-throttling.md): per account and address,
 * per address over every account (account ""), per known device. A counter whose last failure is
 * an hour old starts again.
 */
export const loginFailures = pgTable(
  "login_failures",
  {
    /** Which login: "login" (staff) or "customer-login". */
    scope: text("scope").notNull(),
    /** The email tried, lower-cased; "" for an address's failures over every account. */
    account: text("account").notNull(),
    /** "ip:<address>" or "device:<SHA-256 of the device cookie>". */
    source: text("source").notNull(),
    failures: integer("failures").notNull(),
    lastFailureAt: ts("last_failure_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.account, t.source] }),
    index("login_failures_account_idx").on(t.scope, t.account, t.lastFailureAt),
  ],
);

/** Browsers that logged in to an account before (their device cookie, as SHA-256): they skip the per-address counters. */
export const knownDevices = pgTable(
  "known_devices",
  {
    tokenHash: text("token_hash").notNull(),
    scope: text("scope").notNull(),
    account: text("account").notNull(),
    createdAt: createdAt(),
    lastUsedAt: ts("last_used_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tokenHash, t.scope, t.account] })],
);

// ---------------------------------------------------------------- staff

export const staffUsers = pgTable(
  "staff_users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role").$type<ValueOf<typeof ROLE_VALUES>>().notNull(),
    passwordHash: text("password_hash").notNull(),
    timeZone: text("time_zone").notNull().default("Europe/Oslo"),
    /** The screens' language ("en" or "nb"); null follows the browser (ADR 042). */
    language: text("language").$type<"en" | "nb">(),
    disabledAt: ts("disabled_at"),
    /** The TOTP secret (RFC 6238, base32); null while the user has no second factor. */
    totpSecret: text("totp_secret"),
    /** The last TOTP time step accepted: a code is good once (RFC 6238 section 5.2). */
    totpLastStep: bigint("totp_last_step", { mode: "number" }),
    totpEnrolledAt: ts("totp_enrolled_at"),
    passwordChangedAt: ts("password_changed_at"),
    /** Light, dark, or the system's (auto): the back-office's colour scheme for this user. */
    colorScheme: text("color_scheme").$type<ValueOf<typeof COLOR_SCHEME_VALUES>>().notNull().default("auto"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("staff_users_email_uq").on(sql`lower(${t.email})`),
    check("staff_users_role_ck", inList("role", ROLE_VALUES)),
    check("staff_users_language_ck", sql`${t.language} in ('en', 'nb')`),
    check("staff_users_color_scheme_ck", inList("color_scheme", COLOR_SCHEME_VALUES)),
  ],
);

/**
 * Lucia's session table. The cookie holds a random token; `id` is its SHA-256, so a copy of the
 * table opens no session.
 */
export const staffSessions = pgTable(
  "staff_sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    /** Idle expiry, pushed forward while the session is used. */
    expiresAt: ts("expires_at").notNull(),
    /** For the absolute timeout, which no activity extends. */
    createdAt: createdAt(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    /** The step still missing after the password (a code, or enrolling one); null when complete. */
    pendingStep: text("pending_step").$type<ValueOf<typeof STAFF_SESSION_STEP_VALUES>>(),
    /** The secret offered while the user enrols, kept until a code from it confirms it. */
    totpCandidate: text("totp_candidate"),
    /** Wrong codes typed in this session's second step; a few end it. */
    failedCodes: integer("failed_codes").notNull().default(0),
  },
  (t) => [
    index("staff_sessions_user_idx").on(t.userId),
    check("staff_sessions_pending_step_ck", inList("pending_step", STAFF_SESSION_STEP_VALUES)),
  ],
);

/** Single-use recovery codes for a lost authenticator, stored as SHA-256 (they are long and random). */
export const staffRecoveryCodes = pgTable(
  "staff_recovery_codes",
  {
    id: serialId(),
    userId: text("user_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: ts("used_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("staff_recovery_codes_hash_uq").on(t.codeHash),
    index("staff_recovery_codes_user_idx").on(t.userId),
  ],
);

/** One-time password reset links an admin issued, stored as SHA-256; good once, for a short time. */
export const staffPasswordResets = pgTable(
  "staff_password_resets",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    /** The admin who issued it. */
    createdBy: text("created_by").notNull(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("staff_password_resets_user_idx").on(t.userId)],
);

/** Append-only record of staff actions; never updated or deleted by the application. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: serialId(),
    actorUserId: text("actor_user_id"),
    actorEmail: text("actor_email").notNull(),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id"),
    reason: text("reason"),
    before: jsonb("before"),
    after: jsonb("after"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    correlationId: text("correlation_id"),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_log_created_at_idx").on(...newestFirst(t.createdAt, t.id)),
    index("audit_log_entity_idx").on(t.entityType, t.entityId),
    index("audit_log_actor_idx").on(t.actorUserId),
    // The audit-log screen's filters, newest first (docs/decisions/014).
    index("audit_log_action_idx").on(t.action, ...newestFirst(t.createdAt, t.id)),
    index("audit_log_actor_email_idx").on(t.actorEmail, ...newestFirst(t.createdAt, t.id)),
    index("audit_log_correlation_idx").on(t.correlationId),
  ],
);

// ---------------------------------------------------------------- saved views

/** The list screens whose filters a staff user can save as a named view. */
export const VIEW_SCREEN_VALUES = ["payments", "credits", "operation-log"] as const;

/**
 * A staff user's named filters of a list screen (decision 044): the screen's query string,
 * checked by the screen's own reader when saved. Anyone allowed on the screen may open a view
 * by its link (?view=ID); only its owner lists, changes or deletes it. At most one default per
 * user and screen, applied when the screen is opened without a query.
 */
export const savedViews = pgTable(
  "saved_views",
  {
    id: serialId(),
    ownerUserId: text("owner_user_id")
      .notNull()
      .references(() => staffUsers.id),
    screen: text("screen").$type<ValueOf<typeof VIEW_SCREEN_VALUES>>().notNull(),
    name: text("name").notNull(),
    query: text("query").notNull(),
    isDefault: boolean("is_default").notNull().default(false),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("saved_views_owner_screen_name_uq").on(t.ownerUserId, t.screen, t.name),
    uniqueIndex("saved_views_one_default_uq")
      .on(t.ownerUserId, t.screen)
      .where(sql`is_default`),
    check("saved_views_screen_ck", inList("screen", VIEW_SCREEN_VALUES)),
  ],
);

// ---------------------------------------------------------------- reporting

/**
 * Captured and credited volume per day, organisation, currency, payment type and settlement,
 * updated in the same DB transaction as every capture and credit, so charts never scan
 * transactions. settlement_id is '' when the payment has none (part of the primary key). Each key is
 * split over 16 shards by transaction id; every reader sums over them.
 */
export const dailyVolume = pgTable(
  "daily_volume",
  {
    day: date("day", { mode: "string" }).notNull(),
    organisationId: integer("organisation_id").notNull(),
    currency: text("currency").notNull(),
    paymentTypeGroup: text("payment_type_group").notNull(),
    paymentType: text("payment_type").notNull(),
    settlementId: text("settlement_id").notNull().default(""),
    /** transaction_id % 16, so that concurrent captures do not queue on one row (VOLUME_SHARDS). */
    shard: smallint("shard").notNull().default(0),
    capturedAmount: moneyZero("captured_amount"),
    capturedCount: integer("captured_count").notNull().default(0),
    creditedAmount: moneyZero("credited_amount"),
    creditedCount: integer("credited_count").notNull().default(0),
    /** Lost chargebacks, on the day they were lost (docs/decisions/040): net = captured - credited - this. */
    chargedBackAmount: moneyZero("charged_back_amount"),
    chargedBackCount: integer("charged_back_count").notNull().default(0),
  },
  (t) => [
    primaryKey({
      columns: [t.day, t.organisationId, t.currency, t.paymentTypeGroup, t.paymentType, t.settlementId, t.shard],
    }),
    index("daily_volume_settlement_idx").on(t.settlementId, t.day),
  ],
);

/**
 * Authorization attempts per day, organisation, currency and payment type group, by how the
 * provider answered: approved (the transaction became AUTHORIZED), declined (the provider said
 * no: REFUSED_BY_ISSUER, SOFT_DECLINE…) or failed (the provider could not be asked or answered
 * with an error). Declines and failures leave no operation-log entry, so this is the
 * only place they are counted; the dashboard's declined/failed share reads only this
 * (docs/decisions/015-authorization-outcomes.md).
 */
export const dailyOutcomes = pgTable(
  "daily_outcomes",
  {
    day: date("day", { mode: "string" }).notNull(),
    organisationId: integer("organisation_id").notNull(),
    currency: text("currency").notNull(),
    paymentTypeGroup: text("payment_type_group").notNull(),
    approvedCount: integer("approved_count").notNull().default(0),
    declinedCount: integer("declined_count").notNull().default(0),
    failedCount: integer("failed_count").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.day, t.organisationId, t.currency, t.paymentTypeGroup] }),
    check("daily_outcomes_counts_ck", sql`approved_count >= 0 and declined_count >= 0 and failed_count >= 0`),
  ],
);

/**
 * Every call to a PSP that changes something, claimed here before it is made (claim → ask →
 * settle, docs/decisions/019-claim-ask-settle.md): PENDING while its outcome is unknown, then
 * SUCCEEDED or FAILED with the PSP's answer. `reference` is the PSP's idempotency key, so asking
 * again (a retry, the recovery job) can never act twice. `request` holds what re-sending and
 * settling need, and never card data beyond what may be stored (last 4, masked PAN).
 */
export const providerOperations = pgTable(
  "provider_operations",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    organisationId: integer("organisation_id"),
    /** Null only for an operation on no payment (registering a product's payment method). */
    paymentId: idRef("payment_id").references(() => payments.paymentId),
    transactionId: idRef("transaction_id").references(() => paymentTransactions.transactionId),
    creditTransactionId: idRef("credit_transaction_id").references(() => creditTransactions.creditTransactionId),
    kind: text("kind").$type<ValueOf<typeof PROVIDER_OPERATION_KIND_VALUES>>().notNull(),
    reference: text("reference").notNull(),
    request: jsonb("request").$type<Record<string, unknown>>().notNull(),
    status: text("status").$type<ValueOf<typeof PROVIDER_OPERATION_STATUS_VALUES>>().notNull().default("PENDING"),
    answer: jsonb("answer").$type<Record<string, unknown>>(),
    /** The /v1 Idempotency-Key of the request that claimed it: a retry with that key resumes it. */
    idempotencyClientId: text("idempotency_client_id"),
    idempotencyKey: text("idempotency_key"),
    /** How many times the PSP was asked (the first call, re-sends and lookups). */
    attempts: integer("attempts").notNull().default(0),
    /** When the recovery job may look at it next; pushed ahead while someone is asking (a lease). */
    nextCheckAt: ts("next_check_at").notNull().defaultNow(),
    createdAt: createdAt(),
    settledAt: ts("settled_at"),
    /** Who claimed it: an API client, a staff user's email, a page or job name. */
    claimedBy: text("claimed_by").notNull(),
  },
  (t) => [
    uniqueIndex("provider_operations_reference_uq").on(t.reference),
    // At most one operation in flight per transaction: the RESOURCE_BUSY backstop.
    uniqueIndex("provider_operations_one_pending_uq")
      .on(t.transactionId)
      .where(sql`status = 'PENDING'`),
    index("provider_operations_due_idx").on(t.status, t.nextCheckAt),
    index("provider_operations_payment_idx").on(t.paymentId, t.id),
    index("provider_operations_idempotency_idx")
      .on(t.idempotencyClientId, t.idempotencyKey)
      .where(sql`idempotency_key is not null`),
    index("provider_operations_credit_transaction_idx").on(t.creditTransactionId),
    check("provider_operations_kind_ck", inList("kind", PROVIDER_OPERATION_KIND_VALUES)),
    check("provider_operations_status_ck", inList("status", PROVIDER_OPERATION_STATUS_VALUES)),
    check("provider_operations_settled_ck", sql`(status = 'PENDING') = (settled_at is null)`),
  ],
);

// ---------------------------------------------------------------- settlement reconciliation

export const SETTLEMENT_REPORT_LINE_TYPE_VALUES = ["CAPTURE", "REFUND", "CHARGEBACK", "FEE"] as const;
export const SETTLEMENT_REPORT_STATUS_VALUES = ["RUNNING", "DONE"] as const;
export const RECONCILIATION_DIFFERENCE_KIND_VALUES = [
  "MISSING_IN_PAYDESK",
  "MISSING_AT_PROVIDER",
  "AMOUNT_DIFFERS",
] as const;

/**
 * One upload of a provider's settlement report (docs/decisions/039). RUNNING while its lines
 * stream in (lines_read is the progress the screen polls); DONE once the last line is read, the
 * whole file checked and matched, in one transaction. Only DONE imports are ever read: a refused
 * or abandoned upload's row and lines are deleted. The file's hash is set when it is DONE, so the
 * same file twice finds the first.
 */
export const settlementReportImports = pgTable(
  "settlement_report_imports",
  {
    id: serialId(),
    fileName: text("file_name").notNull(),
    status: text("status").$type<ValueOf<typeof SETTLEMENT_REPORT_STATUS_VALUES>>().notNull().default("RUNNING"),
    /** The browser's token for this upload, so its page can ask for the progress. */
    uploadToken: text("upload_token").notNull(),
    contentSha256: text("content_sha256"),
    linesRead: integer("lines_read").notNull().default(0),
    bytesRead: bigint("bytes_read", { mode: "number" }).notNull().default(0),
    importedByUserId: text("imported_by_user_id"),
    importedByEmail: text("imported_by_email").notNull(),
    ...timestamps(),
    finishedAt: ts("finished_at"),
  },
  (t) => [
    uniqueIndex("settlement_report_imports_sha256_uq").on(t.contentSha256),
    uniqueIndex("settlement_report_imports_token_uq").on(t.uploadToken),
    index("settlement_report_imports_created_at_idx").on(...newestFirst(t.createdAt, t.id)),
    check("settlement_report_imports_status_ck", inList("status", SETTLEMENT_REPORT_STATUS_VALUES)),
    check("settlement_report_imports_done_ck", sql`(status = 'DONE') = (content_sha256 is not null)`),
  ],
);

const reportImportRef = () =>
  idRef("import_id")
    .notNull()
    .references(() => settlementReportImports.id, { onDelete: "cascade" });

/** The report's lines as the provider sent them; amounts signed as the merchant sees them. */
export const settlementReportLines = pgTable(
  "settlement_report_lines",
  {
    /** A chargeback opened from a CHARGEBACK line names it (chargebacks.report_line_id). */
    id: serialId(),
    importId: reportImportRef(),
    lineNo: integer("line_no").notNull(),
    settlementId: text("settlement_id").notNull(),
    bookingDate: date("booking_date", { mode: "string" }).notNull(),
    type: text("type").$type<ValueOf<typeof SETTLEMENT_REPORT_LINE_TYPE_VALUES>>().notNull(),
    reference: text("reference"),
    grossAmount: money("gross_amount").notNull(),
    fee: money("fee").notNull(),
    netAmount: money("net_amount").notNull(),
    currency: text("currency").notNull(),
  },
  (t) => [
    uniqueIndex("settlement_report_lines_import_line_uq").on(t.importId, t.lineNo),
    index("settlement_report_lines_settlement_idx").on(t.settlementId),
    index("settlement_report_lines_reference_idx").on(t.reference),
    check("settlement_report_lines_type_ck", inList("type", SETTLEMENT_REPORT_LINE_TYPE_VALUES)),
  ],
);

/**
 * What matching found per settlement and currency of a DONE import: the lines, those matched,
 * the fees. A settlement id is reconciled from one report only (the primary key says so).
 */
export const reconciliationTotals = pgTable(
  "reconciliation_totals",
  {
    settlementId: text("settlement_id").notNull(),
    currency: text("currency").notNull(),
    importId: reportImportRef(),
    lineCount: integer("line_count").notNull(),
    matchedCount: integer("matched_count").notNull(),
    grossAmount: moneyZero("gross_amount"),
    fees: moneyZero("fees"),
    netAmount: moneyZero("net_amount"),
  },
  (t) => [
    primaryKey({ columns: [t.settlementId, t.currency] }),
    index("reconciliation_totals_import_idx").on(t.importId),
  ],
);

/**
 * One difference between a report and Paydesk: a line Paydesk has no capture or credit for, a
 * capture or credit of the settlement the report lacks, or a match whose amounts differ
 * (difference = the provider's amount − Paydesk's, both as Paydesk counts them: positive).
 * A staff user marks it resolved with a reason; nothing else changes it.
 */
export const reconciliationDifferences = pgTable(
  "reconciliation_differences",
  {
    id: serialId(),
    importId: reportImportRef(),
    settlementId: text("settlement_id").notNull(),
    kind: text("kind").$type<ValueOf<typeof RECONCILIATION_DIFFERENCE_KIND_VALUES>>().notNull(),
    /** The report's line; null for what only Paydesk has. */
    lineNo: integer("line_no"),
    type: text("type").$type<ValueOf<typeof SETTLEMENT_REPORT_LINE_TYPE_VALUES>>().notNull(),
    reference: text("reference"),
    currency: text("currency").notNull(),
    providerAmount: money("provider_amount"),
    paydeskAmount: money("paydesk_amount"),
    difference: money("difference").notNull(),
    paymentId: idRef("payment_id"),
    transactionId: idRef("transaction_id"),
    creditTransactionId: idRef("credit_transaction_id"),
    resolvedAt: ts("resolved_at"),
    resolvedByEmail: text("resolved_by_email"),
    resolution: text("resolution"),
  },
  (t) => [
    index("reconciliation_differences_settlement_idx").on(t.settlementId, t.kind, t.id),
    index("reconciliation_differences_import_idx").on(t.importId),
    check("reconciliation_differences_kind_ck", inList("kind", RECONCILIATION_DIFFERENCE_KIND_VALUES)),
    check("reconciliation_differences_type_ck", inList("type", SETTLEMENT_REPORT_LINE_TYPE_VALUES)),
    check("reconciliation_differences_resolved_ck", sql`(resolved_at is null) = (resolution is null)`),
  ],
);

/** Small key/value facts about this installation (e.g. when demo data was seeded). */
export const appSettings = pgTable("app_settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: updatedAt(),
});

// ---------------------------------------------------------------- relations
// For Drizzle's relational queries: a payment with its transactions and their operation logs
// read in one statement (the API's payment document).

export const paymentsRelations = relations(payments, ({ many }) => ({
  transactions: many(paymentTransactions),
}));

export const paymentTransactionsRelations = relations(paymentTransactions, ({ one, many }) => ({
  payment: one(payments, { fields: [paymentTransactions.paymentId], references: [payments.paymentId] }),
  operations: many(operationLog),
}));

export const operationLogRelations = relations(operationLog, ({ one }) => ({
  transaction: one(paymentTransactions, {
    fields: [operationLog.transactionId],
    references: [paymentTransactions.transactionId],
  }),
}));
