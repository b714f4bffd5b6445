// The load of the chaos test (tests/integration/chaos.test.ts): a seeded plan of payment flows,
// and API clients that drive them the way a careful merchant's system does against a server that
// may be killed at any moment: every change carries an Idempotency-Key; a dropped connection, a
// 503 or a 409 RESOURCE_BUSY is retried with the same key until the answer is final (2xx, 4xx) or
// the step's budget is spent. Every request and its final answer is kept, so the test can hold
// Paydesk to each 2xx it gave.
import { Rng, Weighted } from "../../db/seed/prng";
import { formatAmount, money, type Money } from "../../app/domain/money";
import { readBody } from "./api";

// ---------------------------------------------------------------- the plan

/** The provider operations the issue names; a flow is a chain of them on one transaction. */
export type OperationKind =
  "AUTHORIZE" | "CAPTURE" | "CANCEL" | "CREDIT_EXECUTE" | "DIRECT_CREDIT" | "VIPPS_CHARGE" | "STORED_CARD_CHARGE";

/**
 * What happens to one payment:
 *   sale-credit         authorize, capture, a credit created and executed
 *   sale-direct-credits authorize, capture, a partial direct credit, then the rest
 *   cancel              authorize, cancel
 *   increment           pre-authorize part, increment to the total, capture
 *   race                authorize, then capture and cancel at once (exactly one may win)
 *   execute-race        authorize, capture, a two-line credit executed twice at once
 *   declined            an authorization the PSP refuses (amount ending in .02)
 *   vipps               charge of an ACTIVE Vipps agreement, capture, direct credit
 *   vipps-cancel        charge of an ACTIVE Vipps agreement, cancel
 *   mit                 merchant-initiated charge of a stored card (MIT_UCOF), capture, direct credit
 *   mit-sale            the same with autoSale (captured with the charge), direct credit
 */
export type FlowShape =
  | "sale-credit"
  | "sale-direct-credits"
  | "cancel"
  | "increment"
  | "race"
  | "execute-race"
  | "declined"
  | "vipps"
  | "vipps-cancel"
  | "mit"
  | "mit-sale";

const OPERATIONS: Record<FlowShape, number> = {
  "sale-credit": 3,
  "sale-direct-credits": 4,
  cancel: 2,
  increment: 3,
  race: 3,
  "execute-race": 4,
  declined: 1,
  vipps: 3,
  "vipps-cancel": 2,
  mit: 3,
  "mit-sale": 2,
};

const SHAPES = new Weighted<FlowShape>([
  ["sale-credit", 5],
  ["sale-direct-credits", 3],
  ["cancel", 3],
  ["increment", 2],
  ["race", 3],
  ["execute-race", 2],
  ["declined", 1],
  ["vipps", 3],
  ["vipps-cancel", 2],
  ["mit", 2],
  ["mit-sale", 2],
]);

export type FlowPlan = {
  id: number;
  shape: FlowShape;
  /** Which of the API clients drives it. */
  client: number;
  total: Money;
  /** increment: the pre-authorized part; credits: the first credit's amount. */
  part: Money;
  paymentId: number;
  transactionId: number;
};

/**
 * An amount between 10 and 400: usually whole øre, sometimes with all five decimals the API
 * allows, never ending in .02 or .05 (the sandbox's declines) unless `declined`.
 */
function amount(rng: Rng, declined = false): Money {
  let ore = rng.int(1_000, 40_000);
  if (declined) ore = ore - (ore % 100) + 2;
  else if (ore % 100 === 2 || ore % 100 === 5) ore += 1;
  const subOre = !declined && rng.chance(0.2) ? rng.int(1, 999) : 0;
  return money(`${Math.floor(ore / 100)}.${String(ore % 100).padStart(2, "0")}${String(subOre).padStart(3, "0")}`);
}

/** A part of `total`: between a tenth and nine tenths of it, in whole øre. */
function partOf(rng: Rng, total: Money): Money {
  const ore = Number(total / 1000n);
  const part = rng.int(Math.ceil(ore / 10), Math.floor((ore * 9) / 10));
  return money(`${Math.floor(part / 100)}.${String(part % 100).padStart(2, "0")}`);
}

/** Flows that charge a stored card (their payment needs a customer, which only a privileged client may name). */
export const chargesStoredCard = (shape: FlowShape) => shape === "mit" || shape === "mit-sale";

/**
 * Flows whose operations add up to exactly `operations`, spread over `clients` API clients; the
 * last client is the privileged one, which drives the stored-card flows.
 */
export function planFlows(
  rng: Rng,
  operations: number,
  clients: number,
): Omit<FlowPlan, "paymentId" | "transactionId">[] {
  const flows: Omit<FlowPlan, "paymentId" | "transactionId">[] = [];
  let left = operations;
  while (left > 0) {
    let shape = SHAPES.pick(rng);
    while (OPERATIONS[shape] > left) shape = SHAPES.pick(rng);
    const total = amount(rng, shape === "declined");
    const client = chargesStoredCard(shape) ? clients - 1 : flows.length % clients;
    flows.push({ id: flows.length + 1, shape, client, total, part: partOf(rng, total) });
    left -= OPERATIONS[shape];
  }
  return flows;
}

// ---------------------------------------------------------------- a careful API client

export type Call = { method: "GET" | "POST" | "PUT"; path: string; body?: unknown; key?: string };

/** The final answer to one call after its retries; status 0: the budget ran out without one. */
export type Answer = {
  status: number;
  body: any;
  attempts: number;
  /** Why it was retried: each reason (status and problem detail) with how often. */
  retried: Record<string, number>;
};

export type RecordedStep = {
  flow: number;
  kind: OperationKind | "CREATE_CREDIT";
  client: number;
  call: Call;
  answer: Answer;
  /** What the transaction is at the PSP: `transaction-<id>`. */
  transactionId: number;
};

export type LoadStats = {
  /** Every HTTP status seen (0: no answer, the connection failed), retries included. */
  statuses: Map<number, number>;
  /** Answers that must never happen (5xx other than 503, non-problem errors). */
  serverErrors: string[];
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ChaosClient {
  constructor(
    private readonly base: () => string,
    private readonly token: string,
    private readonly stats: LoadStats,
  ) {}

  /** One request; throws when the connection fails (the server is down or was killed under it). */
  private async once(call: Call): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.base()}${call.path}`, {
      method: call.method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        "ET-Client-Name": "chaos-test",
        ...(call.body !== undefined ? { "Content-Type": "application/json" } : {}),
        ...(call.key ? { "Idempotency-Key": call.key } : {}),
      },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: AbortSignal.timeout(30_000),
    });
    return { status: response.status, body: await readBody(response) };
  }

  private count(status: number) {
    this.stats.statuses.set(status, (this.stats.statuses.get(status) ?? 0) + 1);
  }

  /**
   * Sends `call` until its answer is final: a dropped connection, a 503 or a 409 RESOURCE_BUSY
   * (another operation in flight, or this key's first request still "running") is retried with
   * the same Idempotency-Key after a short pause. The budget counts only the time the server
   * answered "not now": while it is down (killed, restarting) the client just keeps trying, as
   * a merchant's system would, up to `downMs`.
   */
  async send(call: Call, budgetMs: number, downMs = 180_000): Promise<Answer> {
    const started = Date.now();
    let notNowMs = 0;
    let attempts = 0;
    const retried: Record<string, number> = {};
    const retry = (reason: string) => (retried[reason] = (retried[reason] ?? 0) + 1);
    while (notNowMs < budgetMs && Date.now() - started < downMs) {
      attempts += 1;
      const asked = Date.now();
      let answer: { status: number; body: any };
      try {
        answer = await this.once(call);
      } catch {
        this.count(0);
        retry("no connection");
        await sleep(150);
        continue;
      }
      this.count(answer.status);
      if (answer.status >= 500 && answer.status !== 503) {
        this.stats.serverErrors.push(`${call.method} ${call.path}: ${answer.status} ${JSON.stringify(answer.body)}`);
        return { ...answer, attempts, retried };
      }
      const busy = answer.status === 409 && answer.body?.errorReason === "RESOURCE_BUSY";
      if (answer.status === 503 || busy) {
        retry(`${answer.status} ${String(answer.body?.detail).slice(0, 60)}`);
        await sleep(200 + Math.min(attempts, 5) * 60);
        notNowMs += Date.now() - asked;
        continue;
      }
      return { ...answer, attempts, retried };
    }
    return { status: 0, body: null, attempts, retried };
  }

  get(path: string) {
    return this.send({ method: "GET", path }, 30_000);
  }
}

export const isSuccess = (answer: Answer) => answer.status >= 200 && answer.status < 300;

/** 409 "took effect, but its answer was lost; look the result up": the key cannot give the answer any more. */
export const lostAnswer = (answer: Answer) =>
  answer.status === 409 && (answer.body?.errors ?? []).some((e: { field: string }) => e.field === "Idempotency-Key");

/** The status of an operation a flow could not send (its precondition failed). */
export const NOT_SENT = -1;

// ---------------------------------------------------------------- the flows

export type FlowContext = {
  clients: ChaosClient[];
  /** Idempotency keys are unique per run: `<prefix>-<flow>-<step>`. */
  keyPrefix: string;
  /** How long one step may retry before it gives up. */
  stepBudgetMs: number;
  record(step: RecordedStep): void;
};

/** Runs one flow's operations in order (a race's at once); each is sent whatever the one before answered. */
export async function runFlow(flow: FlowPlan, context: FlowContext): Promise<void> {
  const client = context.clients[flow.client];
  const tx = `/v1/payments/${flow.paymentId}/transactions/${flow.transactionId}`;
  let stepNo = 0;
  const step = async (kind: RecordedStep["kind"], call: Omit<Call, "key">): Promise<Answer> => {
    stepNo += 1;
    const withKey = { ...call, key: `${context.keyPrefix}-${flow.id}-${stepNo}` };
    const answer = await client.send(withKey, context.stepBudgetMs);
    context.record({
      flow: flow.id,
      kind,
      client: flow.client,
      call: withKey,
      answer,
      transactionId: flow.transactionId,
    });
    return answer;
  };
  const total = formatAmount(flow.total);
  const part = formatAmount(flow.part);
  const authorize = (amount = total) =>
    step("AUTHORIZE", { method: "POST", path: `${tx}/authorize`, body: { totalAmount: amount } });
  const capture = () => step("CAPTURE", { method: "PUT", path: `${tx}/capture` });
  const cancel = () => step("CANCEL", { method: "PUT", path: `${tx}/cancel` });
  const charge = () => step("VIPPS_CHARGE", { method: "POST", path: `${tx}/app-claim`, body: {} });
  const chargeStoredCard = (autoSale: boolean) =>
    step("STORED_CARD_CHARGE", {
      method: "POST",
      path: `${tx}/terminal`,
      body: { transactionType: "MIT_UCOF", redirectUrl: "https://shop.example/return", autoSale },
    });
  const directCredit = (amount?: string) =>
    step("DIRECT_CREDIT", { method: "POST", path: `${tx}/credit`, body: amount ? { amount } : {} });
  /** A credit of the transaction in `lines` (not a provider operation), then its execution(s). */
  const creditAndExecute = async (lines: string[], executions: number) => {
    const created = await step("CREATE_CREDIT", {
      method: "POST",
      path: "/v1/credits",
      body: {
        totalCreditAmount: formatAmount(lines.map(money).reduce((a, b) => (a + b) as Money)),
        orderId: `${context.keyPrefix}-credit-${flow.id}`,
        creditTransactions: lines.map((amount) => ({
          paymentId: flow.paymentId,
          transactionId: flow.transactionId,
          amount,
        })),
      },
    });
    const orderId = `${context.keyPrefix}-credit-${flow.id}`;
    let creditId = isSuccess(created) ? (created.body.creditId as number) : null;
    if (lostAnswer(created)) {
      // Created, but the answer was lost with the server: look it up, as the problem says.
      const found = await client.get(`/v1/credits?orderId=${encodeURIComponent(orderId)}`);
      creditId = found.status === 200 ? (found.body.items[0]?.creditId ?? null) : null;
    }
    if (creditId === null) {
      // Nothing to execute (the capture did not happen): the operation is counted, not sent.
      for (let i = 0; i < executions; i++) {
        const call: Call = { method: "PUT", path: "/v1/credits/-/execute" };
        const answer = { status: NOT_SENT, body: null, attempts: 0, retried: {} };
        context.record({
          flow: flow.id,
          kind: "CREDIT_EXECUTE",
          client: flow.client,
          call,
          answer,
          transactionId: flow.transactionId,
        });
      }
      return;
    }
    const execute = () => step("CREDIT_EXECUTE", { method: "PUT", path: `/v1/credits/${creditId}/execute` });
    await Promise.all(Array.from({ length: executions }, execute));
  };

  // Each shape's steps, taken one after the other.
  const steps: Record<FlowShape, Array<() => Promise<unknown>>> = {
    "sale-credit": [authorize, capture, () => creditAndExecute([part], 1)],
    "sale-direct-credits": [authorize, capture, () => directCredit(part), () => directCredit()],
    cancel: [authorize, cancel],
    increment: [() => authorize(part), () => authorize(total), capture],
    race: [authorize, () => Promise.all([capture(), cancel()])],
    "execute-race": [
      authorize,
      capture,
      () => {
        const half = flow.part / 2n;
        return creditAndExecute([formatAmount(half as Money), formatAmount((flow.part - half) as Money)], 2);
      },
    ],
    declined: [authorize],
    vipps: [charge, capture, () => directCredit(part)],
    "vipps-cancel": [charge, cancel],
    mit: [() => chargeStoredCard(false), capture, () => directCredit(part)],
    "mit-sale": [() => chargeStoredCard(true), () => directCredit(part)],
  };
  for (const take of steps[flow.shape]) await take();
}

/** Runs `flows` on `workers` concurrent loops, each taking the next flow when its last one ends. */
export async function runFlows(flows: FlowPlan[], workers: number, context: FlowContext): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < flows.length) await runFlow(flows[next++], context);
    }),
  );
}
