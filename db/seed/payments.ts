// The payment generator: orders, payments and their transactions walked through the state
// machine step by step (each step one operation-log row), credits by outcome, deactivated
// versions; every row encoded into the chunk's CopyWriters. The weights it draws from are in
// payment-mix.ts.
import {
  PAYMENT_TYPE_GROUP_OF,
  type Operation,
  type PaymentType,
  type PaymentTypeGroup,
  type TransactionStatus,
} from "../../app/domain/enums";
import { money, toDbAmount, ZERO, type Money } from "../../app/domain/money";
import { VOLUME_SHARDS } from "../../app/platform/operation-log.server";
import type { Chunk, Out, Outcomes, Volume } from "./chunk";
import type { ClientInfo, Context, StaffInfo } from "./context";
import { CopyWriter, uuid7String } from "./copy";
import type { Ids } from "./ids";
import {
  ACQUIRER_PREFIX,
  CLIENT_NAMES,
  CREDIT_REASONS,
  CURRENCIES,
  FAILURE_REASONS,
  FLOW,
  FORCED_OUTCOMES,
  FORCED_TYPES,
  OUTCOMES,
  PRICE_POINTS,
  QUANTITIES,
  RETRY_FIRST_TYPES,
  SCENARIOS,
  SERVICE_DESKS,
  SPLIT_CARD_TYPES,
  STAFF_CLIENT_NAME,
  TYPES_BY_CHANNEL,
  type Outcome,
} from "./payment-mix";
import type { Rng } from "./prng";
import { DAY, HOUR, MIN, SEC, utcDate, type TimeSlots } from "./time";

const m = (value: bigint) => value as Money;
const ONE = money("1.00");
const CENT = money("0.01");
const TEN_CENTS = money("0.10");
const HALF = money("0.50");
const LOW_VALUE_LIMIT = money("300.00");
const MAX_TOTAL = money("4999.00");

type Actor = {
  type: "CLIENT" | "STAFF";
  actor: string;
  clientName: string | null;
  pos: string | null;
  channel: string | null;
  staffUserId?: string;
};

type Tx = {
  id: number;
  paymentId: number;
  /** Its payment's organisation (payment_transactions.organisation_id). */
  organisationId: number;
  amount: Money;
  currency: string;
  status: TransactionStatus;
  type: PaymentType;
  group: PaymentTypeGroup;
  channel: string;
  rrn: string | null;
  last4: string | null;
  externalId: string | null;
  recurringId: number | null;
  agreementId: string | null;
  isImport: boolean;
  sca: "NO_EXEMPTION" | "LOW_VALUE";
  with3ds: boolean | null;
  terminalId: string | null;
  importData: Record<string, string> | null;
  authorized: Money;
  captured: Money;
  credited: Money;
  cancelled: Money;
  reserved: Money;
  capturedAt: number | null;
  createdAt: number;
  updatedAt: number;
  /** Its entries the rollups count (ROLLED_UP), folded in by rollUp once the transaction is done. */
  rolledUp: { operation: Operation; value: Money; at: number }[];
};

/** The operations daily_volume (CAPTURE, IMPORT, CREDIT) and daily_outcomes (AUTHORIZE) count. */
const ROLLED_UP: ReadonlySet<Operation> = new Set(["CAPTURE", "IMPORT", "CREDIT", "AUTHORIZE"]);

/** The map's entry under `key`, made by `make` the first time it is asked for. */
function entryOf<T>(map: Map<string, T>, key: string, make: () => T): T {
  let entry = map.get(key);
  if (entry === undefined) {
    entry = make();
    map.set(key, entry);
  }
  return entry;
}

/** A daily_volume increment while the chunk is generated: its key and exact sums. */
type VolumeSums = Omit<Volume, "captured_amount" | "credited_amount"> & { captured: Money; credited: Money };

type Order = {
  paymentId: number;
  organisationId: number;
  orderId: string;
  version: number;
  currency: string;
  settlementId: string | null;
  customerNumber: string | null;
  client: ClientInfo;
  actor: Actor;
};

export class PaymentGenerator {
  private orders = 0;
  private ids!: Ids;
  private out!: Out;
  private counts = { transactions: 0, operations: 0, credits: 0, creditTransactions: 0 };
  private volume = new Map<string, VolumeSums>();
  private outcomes = new Map<string, Outcomes>();

  constructor(
    private readonly rng: Rng,
    private readonly context: Context,
    private readonly now: number,
    private readonly slots: TimeSlots,
    private readonly declineRng: Rng,
  ) {}

  async generate(payments: number, ids: Ids): Promise<Chunk> {
    this.ids = {
      payment: ids.payment,
      transaction: ids.transaction,
      operation: ids.operation,
      credit: ids.credit,
      creditTransaction: ids.creditTransaction,
    };
    this.out = {
      payments: new CopyWriter(),
      transactions: new CopyWriter(),
      operations: new CopyWriter(),
      credits: new CopyWriter(),
      creditTransactions: new CopyWriter(),
    };
    this.counts = { transactions: 0, operations: 0, credits: 0, creditTransactions: 0 };
    this.volume = new Map();
    this.outcomes = new Map();
    let made = 0;
    let sinceYield = 0;
    while (made < payments) {
      const used = this.order(payments - made);
      made += used;
      sinceYield += used;
      if (sinceYield >= 100) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve)); // let the previous chunk's COPY flow
      }
    }
    return {
      out: this.out,
      volume: [...this.volume.values()].map(({ captured, credited, ...key }) => ({
        ...key,
        captured_amount: toDbAmount(captured),
        credited_amount: toDbAmount(credited),
      })),
      outcomes: [...this.outcomes.values()],
      payments: made,
      ...this.counts,
      firstIds: { ...ids },
      nextIds: { ...this.ids },
    };
  }

  /** One order: one payment, or a deactivated version 1 and its version 2. Returns payments made. */
  private order(room: number): number {
    const rng = this.rng;
    const index = this.orders++;
    const at = this.slots.next();
    // The order right after the forced types is an import, when some client may import.
    const forceImport = index === FORCED_TYPES.length && this.context.importer !== null;
    const client = forceImport ? this.context.importer!.client : this.context.clients.pick(rng);
    const channel = forceImport ? this.context.importer!.channel : client.channels.pick(rng);
    const currency = CURRENCIES.pick(rng);
    const customers = this.context.customers;
    const customerNumber = rng.chance(0.6) ? customers[Math.floor(customers.length * rng.next() ** 2)] : null;
    const settled = rng.chance(0.88);
    const paymentId = this.ids.payment;
    const orderId = `ORD-${utcDate(at).slice(0, 4)}-${String(paymentId).padStart(6, "0")}`;
    const actor = this.clientActor(client, channel);
    const organisationId = client.organisationId;
    const forcedType = index < FORCED_TYPES.length ? FORCED_TYPES[index] : undefined;
    const forcedOutcome = index < FORCED_OUTCOMES.length ? FORCED_OUTCOMES[index] : undefined;
    const order: Order = {
      paymentId,
      organisationId,
      orderId,
      version: 1,
      currency,
      settlementId: settled ? settlementId(organisationId, at, channel) : null,
      customerNumber,
      client,
      actor,
    };

    if (room >= 2 && forcedType === undefined && !forceImport && rng.chance(0.03)) {
      // The order changed: version 1 deactivated (captured money credited back, the rest
      // cancelled), then version 2 created a little later for the new total.
      this.ids.payment++;
      this.slots.next(); // version 2 takes the next slot's place, so the run still ends at "now"
      const deactivatedAt = this.payment(order, channel, at, { deactivate: true });
      const v2At = Math.min(deactivatedAt + this.rng.int(5, 900) * SEC, this.now);
      const v2Id = this.ids.payment++;
      const v2: Order = {
        ...order,
        paymentId: v2Id,
        version: 2,
        settlementId: settled ? settlementId(organisationId, v2At, channel) : null,
      };
      this.payment(v2, channel, v2At, {});
      return 2;
    }
    this.ids.payment++;
    this.payment(order, channel, at, {
      forcedType: forceImport ? "VISA" : forcedType,
      forcedOutcome: forceImport ? "CAPTURED" : forcedOutcome,
      forceImport,
    });
    return 1;
  }

  /** Writes one payment with its transactions and credits; returns the time of its last change. */
  private payment(
    order: Order,
    channel: string,
    at: number,
    options: { deactivate?: boolean; forcedType?: PaymentType; forcedOutcome?: Outcome; forceImport?: boolean },
  ): number {
    const rng = this.rng;
    const total = this.totalAmount(order.currency);
    const typeTable = TYPES_BY_CHANNEL[channel] ?? TYPES_BY_CHANNEL.web;
    const mainType = options.forcedType ?? typeTable.pick(rng);
    let outcome: Outcome = options.forcedOutcome ?? OUTCOMES.pick(rng);
    if (options.deactivate)
      outcome = rng.chance(0.7) ? "CAPTURED" : rng.pick(["CREATED", "INITIATED", "AUTHORIZED"] as const);
    const scenario = options.forcedType || options.deactivate || total < 2n * ONE ? "single" : SCENARIOS.pick(rng);
    const target = targetOf(outcome);

    const txs: Tx[] = [];
    let last = at;
    if (scenario === "split") {
      // A gift card (or cash at a machine/desk) pays part, a card the rest: their amounts sum
      // to exactly the total.
      const directType: PaymentType =
        channel === "ticket-machine" || (channel === "customer-service" && rng.chance(0.5)) ? "CASH" : "GIFTCARD";
      let part = portion(total, rng.int(10, 60));
      part = m(part - (part % ONE));
      if (part <= 0n) part = ONE;
      const first = this.newTx(order, channel, directType, part, at, false);
      const directTarget = target === "CANCELLED" ? "CANCELLED" : target === "CREATED" ? "CREATED" : "CAPTURED";
      last = Math.max(last, this.runTx(first, order, directTarget));
      const secondAt = Math.min(at + rng.int(5, 40) * SEC, this.now);
      const second = this.newTx(order, channel, SPLIT_CARD_TYPES.pick(rng), m(total - part), secondAt, false);
      last = Math.max(last, this.runTx(second, order, target));
      txs.push(first, second);
    } else {
      let start = at;
      if (scenario === "retry") {
        // The first attempt was declined or abandoned and cancelled; the second one counts.
        const first = this.newTx(order, channel, RETRY_FIRST_TYPES.pick(rng), total, at, false);
        const end = this.runTx(first, order, "CANCELLED", { quickCancel: true });
        txs.push(first);
        start = Math.min(end + rng.int(10, 300) * SEC, this.now);
      }
      const importable =
        order.client.privileged &&
        (channel === "ticket-machine" || channel === "customer-service") &&
        (PAYMENT_TYPE_GROUP_OF[mainType] === "PAYMENTCARD" || mainType === "ECARD") &&
        target === "CAPTURED" &&
        (options.forceImport || (!options.forcedType && rng.chance(0.3)));
      const tx = this.newTx(order, channel, mainType, total, start, importable);
      last = Math.max(last, this.runTx(tx, order, target, { forceUpdate: options.forcedType === "COLLECTOR_B2B" }));
      txs.push(tx);
    }

    let deactivatedAt: number | null = null;
    if (options.deactivate) {
      deactivatedAt = Math.min(last + rng.int(5, 180) * MIN, this.now);
      this.deactivate(order, txs, deactivatedAt);
      last = deactivatedAt;
    } else {
      last = Math.max(last, this.credits(order, txs, outcome));
    }

    let updatedAt = deactivatedAt ?? at;
    for (const tx of txs) {
      updatedAt = Math.max(updatedAt, tx.updatedAt);
      this.emitTx(tx);
      this.rollUp(tx, order);
    }
    this.out.payments
      .int(order.paymentId)
      .int(order.organisationId)
      .str(order.orderId)
      .int(order.version)
      .money(total)
      .str(order.currency)
      .bool(!options.deactivate)
      .str(order.settlementId)
      .str(order.customerNumber)
      .str(order.client.clientId)
      .time(at)
      .time(updatedAt)
      .end();
    return Math.max(last, updatedAt);
  }

  private newTx(order: Order, channel: string, type: PaymentType, value: Money, at: number, isImport: boolean): Tx {
    const rng = this.rng;
    const group = PAYMENT_TYPE_GROUP_OF[type];
    const tx: Tx = {
      id: this.ids.transaction++,
      paymentId: order.paymentId,
      organisationId: order.organisationId,
      amount: value,
      currency: order.currency,
      status: "CREATED",
      type,
      group,
      channel,
      rrn: null,
      last4: null,
      externalId: null,
      recurringId: null,
      agreementId: null,
      isImport,
      sca: group === "PAYMENTCARD" && value < LOW_VALUE_LIMIT && rng.chance(0.5) ? "LOW_VALUE" : "NO_EXEMPTION",
      with3ds: null,
      terminalId: null,
      importData: null,
      authorized: ZERO,
      captured: ZERO,
      credited: ZERO,
      cancelled: ZERO,
      reserved: ZERO,
      capturedAt: null,
      createdAt: at,
      updatedAt: at,
      rolledUp: [],
    };
    if (group === "PAYMENTCARD" && !isImport)
      tx.with3ds = (channel === "web" || channel === "app") && tx.sca === "NO_EXEMPTION";
    if (order.customerNumber && !isImport) {
      if (group === "PAYMENTCARD" && rng.chance(0.3)) {
        const stored = sameOrganisation(this.context.recurring.get(order.customerNumber), order.organisationId);
        if (stored) {
          tx.recurringId = stored.id;
          if (stored.paymentType && PAYMENT_TYPE_GROUP_OF[stored.paymentType] === "PAYMENTCARD")
            tx.type = stored.paymentType;
          tx.last4 = stored.last4;
        }
      } else if (type === "VIPPS" && rng.chance(0.4)) {
        const agreement = sameOrganisation(this.context.agreements.get(order.customerNumber), order.organisationId);
        if (agreement) tx.agreementId = agreement.id;
      }
    }
    return tx;
  }

  /**
   * Attempts the provider declined or that failed on a hosted page or app opened at `initiated`,
   * before the approval at `approved` (a customer who tries again), or before the customer gave
   * up (`approved` null). No operation is logged for them; only daily_outcomes counts them.
   * About 3.5 % of approvals follow a decline and 0.4 % a failure; a quarter of abandoned pages
   * saw a decline first.
   */
  private unapprovedAttempts(tx: Tx, order: Order, initiated: number, approved: number | null): void {
    const rng = this.declineRng;
    const before = approved ?? initiated + rng.int(20, 300) * SEC;
    if (before > this.now) return;
    const declined = approved === null ? rng.chance(0.25) : rng.chance(0.035);
    const failed = approved !== null && rng.chance(0.004);
    if (!declined && !failed) return;
    // Somewhere between the page opening and the approval (or giving up), never after it.
    const at = initiated + Math.floor((before - initiated) * rng.next());
    const row = this.outcomesOf(utcDate(at), order, tx);
    if (declined) row.declined++;
    if (failed) row.failed++;
  }

  /** `delay` after `at`, or null when that lies in the future (the step has not happened yet). */
  private later(at: number, delay: number): number | null {
    const next = at + delay;
    return next <= this.now ? next : null;
  }

  /** What the provider hands back once the money is authorized: card digits, RRN, references. */
  private reveal(tx: Tx): void {
    const rng = this.rng;
    tx.externalId ??= externalId(tx.type, tx.createdAt, rng);
    if (tx.group === "PAYMENTCARD") {
      tx.last4 ??= rng.digits(4);
      tx.rrn = rrnFor(tx.id, tx.createdAt);
    }
  }

  /**
   * Walks the transaction's state machine up to `target`, appending the operation log; a step
   * that would lie in the future does not happen (the transaction stays where it got to).
   */
  private runTx(
    tx: Tx,
    order: Order,
    target: "CREATED" | "INITIATED" | "AUTHORIZED" | "CAPTURED" | "CANCELLED",
    options: { quickCancel?: boolean; forceUpdate?: boolean } = {},
  ): number {
    const rng = this.rng;
    const actor = order.actor;
    let at = tx.createdAt;
    this.op(tx, "CREATE", tx.amount, at, actor);

    if (tx.isImport) {
      // Sold offline at a machine or desk, imported in the nightly batch.
      const importedAt = this.later(at, rng.int(1, 8) * HOUR + rng.int(0, 3599) * SEC);
      if (importedAt === null) return at;
      at = importedAt;
      this.reveal(tx);
      const confirmedAt = new Date(tx.createdAt + rng.int(5, 90) * SEC).toISOString();
      const envNetworkId = String(100000 + (order.organisationId % 900) * 1000 + rng.int(0, 999));
      if (tx.group === "PAYMENTCARD") {
        tx.terminalId = `${tx.channel === "ticket-machine" ? "TVM" : "KS"}${String(rng.int(1, 400)).padStart(5, "0")}`;
        tx.importData = {
          terminalId: tx.terminalId,
          paymentType: issuerName(tx.type),
          envNetworkId,
          transactionConfirmedAt: confirmedAt,
        };
      } else {
        tx.rrn = null;
        tx.importData = {
          companyId: String(rng.int(1, 9999)),
          mediaSerialNumberId: rng.digits(10),
          envNetworkId,
          transactionConfirmedAt: confirmedAt,
        };
      }
      tx.authorized = tx.amount;
      tx.captured = tx.amount;
      tx.capturedAt = at;
      tx.status = "CAPTURED";
      this.op(tx, "IMPORT", tx.amount, at, actor);
      return at;
    }

    const flow = FLOW[tx.type];
    let reach: "CREATED" | "INITIATED" | "AUTHORIZED" | "CAPTURED" = target === "CANCELLED" ? "CREATED" : target;
    if (target === "CANCELLED") {
      const r = rng.next();
      if (flow === "terminal")
        reach = options.quickCancel || r < 0.6 ? "INITIATED" : r < 0.7 ? "CREATED" : "AUTHORIZED";
      else if (flow === "authorize") reach = r < 0.4 ? "CREATED" : "AUTHORIZED";
    }
    if (flow === "direct" && (reach === "INITIATED" || reach === "AUTHORIZED")) reach = "CREATED";
    if (flow === "authorize" && reach === "INITIATED") reach = "AUTHORIZED";
    const rank = { CREATED: 0, INITIATED: 1, AUTHORIZED: 2, CAPTURED: 3 } as const;

    if (flow === "terminal" && rank[reach] >= 1) {
      const t = this.later(at, rng.int(2, 20) * SEC);
      if (t === null) return at;
      at = t;
      tx.externalId = externalId(tx.type, at, rng);
      tx.status = "INITIATED";
      this.op(tx, "INITIATE", tx.amount, at, actor);
      if (tx.type === "COLLECTOR_B2B" && (options.forceUpdate || rng.chance(0.4))) {
        const u = this.later(at, rng.int(1, 30) * MIN);
        if (u !== null) {
          at = u;
          this.op(tx, "UPDATE", tx.amount, at, actor);
        }
      }
    }
    if (flow !== "direct" && rank[reach] >= 2) {
      const invoice = tx.group === "INVOICE";
      const t = this.later(at, invoice ? rng.int(1, 48 * 60) * MIN : rng.int(15, 240) * SEC);
      if (flow === "terminal" && t !== null) this.unapprovedAttempts(tx, order, at, t);
      if (t !== null) {
        at = t;
        this.reveal(tx);
        tx.authorized = tx.amount;
        tx.status = "AUTHORIZED";
        this.op(tx, "AUTHORIZE", tx.amount, at, actor);
      } else reach = tx.status === "INITIATED" ? "INITIATED" : "CREATED";
    } else if (flow === "terminal" && tx.status === "INITIATED") {
      this.unapprovedAttempts(tx, order, at, null);
    }
    if (rank[reach] >= 3 && (flow === "direct" || tx.status === "AUTHORIZED")) {
      let delay: number;
      if (flow === "direct") delay = rng.int(1, 30) * SEC;
      else if (tx.group === "INVOICE") delay = rng.int(1, 5) * DAY + rng.int(0, 86399) * SEC;
      else if (tx.type === "AGENT") delay = rng.int(1, 3) * DAY;
      else delay = rng.chance(0.8) ? rng.int(1, 10) * SEC : rng.int(1, 48) * HOUR;
      const t = this.later(at, delay);
      if (t !== null) {
        at = t;
        if (flow === "direct") {
          tx.externalId = tx.type === "CASH" ? null : externalId(tx.type, at, rng);
          tx.authorized = tx.amount;
        }
        tx.captured = tx.amount;
        tx.capturedAt = at;
        tx.status = "CAPTURED";
        this.op(tx, "CAPTURE", tx.amount, at, actor);
      }
    }
    if (target === "CANCELLED") {
      const staff = this.context.staff.support;
      const byStaff = !options.quickCancel && staff.length > 0 && rng.chance(0.2);
      const t = this.later(
        at,
        byStaff ? rng.int(1, 3) * DAY : options.quickCancel ? rng.int(20, 600) * SEC : rng.int(15, 90) * MIN,
      );
      if (t !== null) {
        at = t;
        tx.cancelled = tx.amount;
        tx.status = "CANCELLED";
        this.op(tx, "CANCEL", tx.amount, at, byStaff ? staffActor(rng.pick(staff)) : actor);
      }
    }
    return at;
  }

  /** Credits for captured payments, by outcome. Returns the time of the last change. */
  private credits(order: Order, txs: Tx[], outcome: Outcome): number {
    const rng = this.rng;
    if (!CREDIT_OUTCOMES.has(outcome)) return 0;
    const captured: Tx[] = [];
    let lastCapture = 0;
    for (const tx of txs) {
      if (tx.status !== "CAPTURED") continue;
      captured.push(tx);
      lastCapture = Math.max(lastCapture, tx.capturedAt ?? tx.updatedAt);
    }
    if (!captured.length) return 0;
    let createdAt = lastCapture + rng.int(1, 20 * 24) * HOUR + rng.int(0, 3599) * SEC;
    if (createdAt > this.now) {
      // Captured too recently for a credit to have happened yet, except an open one right now.
      if (outcome !== "OPEN_CREDIT") return 0;
      createdAt = Math.max(lastCapture, this.now - rng.int(0, 600) * SEC);
    }
    const staff = this.context.staff;
    const byStaff = staff.support.length > 0 && staff.finance.length > 0 && rng.chance(0.25);
    const creator = byStaff ? rng.pick(staff.support) : null;
    const executor = byStaff ? staffActor(rng.pick(staff.finance)) : order.actor;
    const reason = byStaff ? rng.pick(CREDIT_REASONS) : null;
    const target = captured[captured.length - 1];
    // Every credit of the payment has the same creator, executor and reason.
    const credit = (items: CreditItem[], status: "CREATED" | "CREDITED", created: number, executed: number) =>
      this.credit(order, items, status, created, executed, creator, executor, reason);
    const creditedPart = (fromPercent: number, toPercent: number): CreditItem[] => [
      { tx: target, value: portion(target.amount, rng.int(fromPercent, toPercent)), status: "CREDITED" },
    ];

    switch (outcome) {
      case "CREDITED": {
        const at = this.executedAt(createdAt);
        credit(fullCredits(captured), "CREDITED", createdAt, at);
        return at;
      }
      case "PARTIAL_CREDIT": {
        const at = this.executedAt(createdAt);
        credit(creditedPart(10, 70), "CREDITED", createdAt, at);
        return at;
      }
      case "TWO_PARTIAL_CREDITS": {
        const first = this.executedAt(createdAt);
        credit(creditedPart(10, 40), "CREDITED", createdAt, first);
        const secondCreated = first + rng.int(1, 5) * DAY;
        if (secondCreated > this.now) return first;
        const second = this.executedAt(secondCreated);
        credit(creditedPart(10, 40), "CREDITED", secondCreated, second);
        return second;
      }
      case "OPEN_CREDIT": {
        const value = rng.chance(0.5) ? target.amount : portion(target.amount, rng.int(10, 90));
        credit([{ tx: target, value, status: "CREATED" }], "CREATED", createdAt, createdAt);
        return createdAt;
      }
      case "FAILED_CREDIT": {
        const at = this.executedAt(createdAt);
        credit([{ tx: target, value: target.amount, status: "FAILED" }], "CREATED", createdAt, at);
        return at;
      }
      default:
        return 0;
    }
  }

  /** A credit is executed 1 to 60 minutes after it was created (not after now). */
  private executedAt(createdAt: number): number {
    return Math.min(createdAt + this.rng.int(1, 60) * MIN, this.now);
  }

  /** PUT …/deactivate: captured transactions credited in full, unfinished ones cancelled. */
  private deactivate(order: Order, txs: Tx[], at: number): void {
    const correlationId = uuid7String(at, this.rng);
    const captured: Tx[] = [];
    for (const tx of txs) {
      if (tx.status === "CAPTURED") captured.push(tx);
      if (tx.status === "CREATED" || tx.status === "INITIATED" || tx.status === "AUTHORIZED") {
        tx.cancelled = tx.amount;
        tx.status = "CANCELLED";
        this.op(tx, "CANCEL", tx.amount, at, order.actor, correlationId);
      }
    }
    if (captured.length) {
      this.credit(
        order,
        fullCredits(captured),
        "CREDITED",
        at,
        at,
        null,
        order.actor,
        "Payment deactivated",
        correlationId,
      );
    }
  }

  private credit(
    order: Order,
    items: CreditItem[],
    status: "CREATED" | "CREDITED",
    createdAt: number,
    executedAt: number,
    creator: StaffInfo | null,
    executor: Actor,
    reason: string | null,
    correlationId = uuid7String(executedAt, this.rng),
  ): void {
    const creditId = this.ids.credit++;
    let totalCredit = ZERO;
    let anyFailed = false;
    for (const { tx, value, status: itemStatus } of items) {
      if (itemStatus === "FAILED") anyFailed = true;
      totalCredit = m(totalCredit + value);
      const creditTransactionId = this.ids.creditTransaction++;
      const executed = itemStatus !== "CREATED";
      if (itemStatus === "CREDITED") {
        tx.credited = m(tx.credited + value);
        if (tx.credited === tx.captured) tx.status = "CREDITED";
        this.op(tx, "CREDIT", value, executedAt, executor, correlationId);
      } else if (itemStatus === "CREATED") {
        tx.reserved = m(tx.reserved + value);
        tx.updatedAt = Math.max(tx.updatedAt, createdAt);
      }
      this.counts.creditTransactions++;
      this.out.creditTransactions
        .int(creditTransactionId)
        .int(creditId)
        .int(tx.paymentId)
        .int(tx.id)
        .money(value)
        .str(itemStatus)
        .str(tx.type)
        .str(tx.group)
        .str(tx.rrn)
        .time(executed ? executedAt : null)
        .str(executed ? `sbx-cr-${creditTransactionId}` : null)
        .time(itemStatus === "CREDITED" ? executedAt : null)
        .str(itemStatus === "FAILED" ? this.rng.pick(FAILURE_REASONS) : null)
        .time(createdAt)
        .time(executed ? executedAt : createdAt)
        .end();
    }
    this.counts.credits++;
    this.out.credits
      .int(creditId)
      .int(order.organisationId)
      .str(order.orderId)
      .int(order.version)
      .money(totalCredit)
      .str(order.currency)
      .bool(true)
      .str(status)
      .str(order.settlementId)
      .str(order.customerNumber)
      .str(creator ? null : order.client.clientId)
      .str(creator ? creator.id : null)
      .str(reason)
      .time(createdAt)
      .time(status === "CREDITED" || anyFailed ? executedAt : createdAt)
      .end();
  }

  /** One operation-log row; `correlationId` when it shares one with others, else a fresh UUIDv7. */
  private op(tx: Tx, operation: Operation, value: Money, at: number, actor: Actor, correlationId?: string): void {
    this.counts.operations++;
    tx.updatedAt = Math.max(tx.updatedAt, at);
    if (ROLLED_UP.has(operation)) tx.rolledUp.push({ operation, value, at });
    const out = this.out.operations.int(this.ids.operation++).int(tx.id).int(tx.paymentId).str(operation).money(value);
    if (correlationId) out.str(correlationId);
    else out.uuid7(at, this.rng);
    out.str(actor.clientName).str(actor.pos).str(actor.channel).str(actor.type).str(actor.actor).time(at).end();
  }

  /**
   * Adds a finished transaction's entries to the chunk's rollup increments, keyed by what its rows
   * say at the end (the transaction's final type, its payment's settlement), as the rollup's
   * readers join them.
   */
  private rollUp(tx: Tx, order: Order): void {
    const settlementId = order.settlementId ?? "";
    const shard = tx.id % VOLUME_SHARDS;
    for (const { operation, value, at } of tx.rolledUp) {
      const day = utcDate(at);
      if (operation === "AUTHORIZE") {
        this.outcomesOf(day, order, tx).approved++;
        continue;
      }
      const key = `${day}|${order.organisationId}|${order.currency}|${tx.group}|${tx.type}|${settlementId}|${shard}`;
      const sums = entryOf(this.volume, key, () => ({
        day,
        organisation_id: order.organisationId,
        currency: order.currency,
        payment_type_group: tx.group,
        payment_type: tx.type,
        settlement_id: settlementId,
        shard,
        captured: ZERO,
        captured_count: 0,
        credited: ZERO,
        credited_count: 0,
      }));
      if (operation === "CREDIT") {
        sums.credited = m(sums.credited + value);
        sums.credited_count++;
      } else {
        sums.captured = m(sums.captured + value);
        sums.captured_count++;
      }
    }
  }

  /** The chunk's daily_outcomes row of a day, the order's organisation and currency, and the transaction's group. */
  private outcomesOf(day: string, order: Order, tx: Tx): Outcomes {
    const key = `${day}|${order.organisationId}|${order.currency}|${tx.group}`;
    return entryOf(this.outcomes, key, () => ({
      day,
      organisation_id: order.organisationId,
      currency: order.currency,
      payment_type_group: tx.group,
      approved: 0,
      declined: 0,
      failed: 0,
    }));
  }

  private emitTx(tx: Tx): void {
    this.counts.transactions++;
    this.out.transactions
      .int(tx.id)
      .int(tx.paymentId)
      .int(tx.organisationId)
      .money(tx.amount)
      .str(tx.currency)
      .str(tx.status)
      .str(tx.type)
      .str(tx.group)
      .str(tx.channel)
      .str(tx.rrn)
      .str(tx.last4)
      .str(tx.externalId)
      .int(tx.recurringId)
      .str(tx.agreementId)
      .bool(tx.isImport)
      .str(tx.sca)
      .bool(tx.with3ds)
      .str(tx.terminalId)
      .json(tx.importData)
      .money(tx.authorized)
      .money(tx.captured)
      .money(tx.credited)
      .money(tx.cancelled)
      .money(tx.reserved)
      .time(tx.createdAt)
      .time(tx.updatedAt)
      .end();
  }

  private clientActor(client: ClientInfo, channel: string): Actor {
    const rng = this.rng;
    const pos =
      channel === "web"
        ? "web"
        : channel === "app"
          ? rng.chance(0.55)
            ? "ios"
            : "android"
          : channel === "ticket-machine"
            ? `TVM-${String(rng.int(1, 400)).padStart(4, "0")}`
            : channel === "customer-service"
              ? rng.pick(SERVICE_DESKS)
              : channel;
    return {
      type: "CLIENT",
      actor: client.clientId,
      clientName: CLIENT_NAMES[client.clientId]?.[channel] ?? client.clientId,
      pos,
      channel,
    };
  }

  private totalAmount(currency: string): Money {
    const rng = this.rng;
    const price = PRICE_POINTS.pick(this.rng);
    let total = m(price * QUANTITIES.pick(rng));
    if (total > MAX_TOTAL) total = price;
    const r = rng.next();
    if (r < 0.08) total = m(total + HALF);
    else if (r < 0.12) total = m(total - TEN_CENTS);
    if (currency === "EUR") {
      total = m(total / 10n);
      total = m(total - (total % TEN_CENTS));
    }
    return total;
  }
}

function settlementId(organisationId: number, at: number, channel: string): string {
  return `EJ-${organisationId}-${utcDate(at)}-${channel}`;
}

const CREDIT_OUTCOMES = new Set<Outcome>([
  "CREDITED",
  "PARTIAL_CREDIT",
  "TWO_PARTIAL_CREDITS",
  "OPEN_CREDIT",
  "FAILED_CREDIT",
]);

type CreditItem = { tx: Tx; value: Money; status: "CREATED" | "CREDITED" | "FAILED" };

function sameOrganisation<T extends { organisationId: number }>(
  items: T[] | undefined,
  organisationId: number,
): T | undefined {
  if (items) for (const item of items) if (item.organisationId === organisationId) return item;
  return undefined;
}

function fullCredits(txs: Tx[]): CreditItem[] {
  const items: CreditItem[] = [];
  for (const tx of txs) items.push({ tx, value: tx.amount, status: "CREDITED" });
  return items;
}

function targetOf(outcome: Outcome): "CREATED" | "INITIATED" | "AUTHORIZED" | "CAPTURED" | "CANCELLED" {
  switch (outcome) {
    case "CREATED":
    case "INITIATED":
    case "AUTHORIZED":
    case "CANCELLED":
      return outcome;
    default:
      return "CAPTURED";
  }
}

/** `percent` % of `value`, rounded down to whole cents, at least one cent and below `value`. */
function portion(value: Money, percent: number): Money {
  let part = (value * BigInt(percent)) / 100n;
  part -= part % CENT;
  if (part < CENT) part = CENT;
  if (part >= value) part = value - CENT;
  return m(part);
}

/**
 * A 12-digit retrieval reference number as acquirers build them, YDDD + sequence: last digit of
 * the year, day of the year, then the transaction id modulo 10^8. Unique (two transactions of
 * one day would need ids 10^8 apart), so imports never collide on rrn + terminalId, and
 * time-ordered, so the rrn index grows at a few edges instead of everywhere.
 */
function rrnFor(transactionId: number, at: number): string {
  const date = new Date(at);
  const dayOfYear = Math.floor((at - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY) + 1;
  return `${date.getUTCFullYear() % 10}${String(dayOfYear).padStart(3, "0")}${String(transactionId % 100_000_000).padStart(8, "0")}`;
}

/** Provider reference: its prefix, the time in base 36 and a random tail (time-ordered too). */
function externalId(type: PaymentType, at: number, rng: Rng): string {
  return `${ACQUIRER_PREFIX[type]}-${at.toString(36)}${rng.hex(6)}`;
}

function issuerName(type: PaymentType): string {
  return type === "MASTERCARD" ? "MasterCard" : type === "AMEX" ? "American Express" : "Visa";
}

function staffActor(user: StaffInfo): Actor {
  return {
    type: "STAFF",
    actor: user.email,
    clientName: STAFF_CLIENT_NAME,
    pos: null,
    channel: null,
    staffUserId: user.id,
  };
}
