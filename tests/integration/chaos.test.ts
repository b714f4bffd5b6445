// Chaos (issue 12, "Must hold"): the sandbox PSP times out on 20% of calls and loses the answer
// of another 10% (it acted, the caller never hears), while three API clients drive 200 provider
// operations (authorize, capture, cancel, credit execution, Vipps agreement charges; see
// tests/support/chaos-load.ts) through the real server, which is SIGKILLed 5 times during the
// run and restarted each time. After the last restart, within 60 s and with the faults still on:
// nothing is in flight, the PSP's own memory and ledger agree with Paydesk reference by reference
// and transaction by transaction to the øre, no effect happened twice, DESIGN.md's invariants
// hold, and every 2xx a client was given is in the final state (tests/support/chaos-checks.ts).
//
// The plan and the PSP's fault decisions come from one seed (printed when the test fails;
// CHAOS_SEED=<n> replays the plan and the faults, though not the timing). On PostgreSQL the
// result is read from the database while the server runs; a PGlite directory belongs to the
// server alone, so there the test watches the staff payment screens ("in progress") and reads the
// database once the server has stopped.
import { beforeAll, describe, expect, it } from "vitest";
import { mixSeed, Rng } from "../../db/seed/prng";
import { providerOperations } from "../../db/schema";
import { insertActiveAgreement, insertStoredCard } from "../support/fixtures-transactions";
import { eq, sql } from "drizzle-orm";
import { formatAmount } from "../../app/domain/money";
import { apiClientToken, useSharedDatabase } from "../support/fixtures-process";
import { randomPort, startServerProcess, stopServerProcess, type ServerProcess } from "../support/process";
import { pspOperations, testMerchant, usePsp } from "../support/psp";
import {
  ChaosClient,
  chargesStoredCard,
  isSuccess,
  NOT_SENT,
  planFlows,
  runFlows,
  type FlowPlan,
  type LoadStats,
  type RecordedStep,
} from "../support/chaos-load";
import { checkAnswers, checkInvariants, checkLedger, checkOperations, readPaydesk } from "../support/chaos-checks";
import { createStaffUser } from "../../app/services/admin/staff-users.server";
import { withDatabase } from "../../app/platform/db.server";
import { systemCaller } from "../support/use-case";
import { sessionCookieFrom } from "../support/staff";

const SEED = process.env.CHAOS_SEED ? Number(process.env.CHAOS_SEED) : Math.floor(Math.random() * 2 ** 31);
const OPERATIONS = 200;
const KILLS = 5;
const CLIENTS = 3;
const WORKERS = 9;
/** The issue's bound: everything settled this long after the last restart. */
const SETTLE_WITHIN_MS = 60_000;
const FAULTS = { timeoutRate: 0.2, lostAnswerRate: 0.1 };
/** The children's PSP bound and recovery pace: short, so that a run takes seconds, not minutes. */
const SERVER_ENV = { PAYDESK_PSP_TIMEOUT_MS: "1000", PAYDESK_RECOVERY_INTERVAL_MS: "300" };

const faultRng = new Rng(mixSeed(SEED, 1));
const psp = usePsp({ random: () => faultRng.next() });
const database = useSharedDatabase("chaos");
const clientTokens: string[] = [];
let staff = { email: "", password: "" };
const usingServer = Boolean(process.env.DATABASE_URL);

const ORGANISATIONS = [951, 951, 952];
const agreementOf = (organisationId: number) => `agr_chaos_${organisationId}`;
const CUSTOMER = "4711";
/** The stored card the privileged client's MIT flows charge (recurring_payments). */
let storedCard = 0;

beforeAll(async () => {
  for (const [index, organisationId] of ORGANISATIONS.entries()) {
    clientTokens.push(
      await apiClientToken(database, {
        name: `Chaos client ${index + 1}`,
        organisationId,
        channels: ["web", "app"],
        rateLimitPerMinute: 1_000_000,
        // The last client is an internal one: it may name the payment's customer, whose stored card it charges.
        privileged: index === ORGANISATIONS.length - 1,
        allowedRedirectPrefixes: ["https://shop.example/"],
      }),
    );
  }
  await database.withDatabase(async (handle) => {
    for (const organisationId of new Set(ORGANISATIONS))
      await insertActiveAgreement(handle.db, {
        agreementId: agreementOf(organisationId),
        organisationId,
        customerNumber: CUSTOMER,
      });
    storedCard = await insertStoredCard(handle.db, {
      organisationId: ORGANISATIONS[ORGANISATIONS.length - 1],
      customerNumber: CUSTOMER,
      panHash: "ph_chaos_stored_card",
    });
    staff = { email: `chaos-${Date.now().toString(36)}@staff.test`, password: "correct-horse-chaos-staff" };
    await withDatabase(handle, () =>
      createStaffUser(systemCaller(), { ...staff, role: "support", name: "Chaos watcher" }),
    );
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates each flow's payment and transaction (no PSP involved) through the first server. */
async function createPayments(
  plans: Omit<FlowPlan, "paymentId" | "transactionId">[],
  clients: ChaosClient[],
  keyPrefix: string,
): Promise<FlowPlan[]> {
  const flows: FlowPlan[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      while (next < plans.length) {
        const plan = plans[next++];
        const client = clients[plan.client];
        const vipps = plan.shape === "vipps" || plan.shape === "vipps-cancel";
        const transaction = chargesStoredCard(plan.shape)
          ? { recurringPaymentId: storedCard }
          : vipps
            ? undefined
            : { paymentType: "VISA" };
        const totalAmount = formatAmount(plan.total);
        const created = await client.send(
          {
            method: "POST",
            path: "/v1/payments",
            key: `${keyPrefix}-payment-${plan.id}`,
            body: {
              totalAmount,
              orderId: `${keyPrefix}-${plan.id}`,
              ...(chargesStoredCard(plan.shape) ? { customerNumber: CUSTOMER } : {}),
              ...(transaction ? { transaction } : {}),
            },
          },
          30_000,
        );
        if (created.status !== 201)
          throw new Error(`create payment: ${created.status} ${JSON.stringify(created.body)}`);
        const paymentId = created.body.paymentId as number;
        let transactionId = created.body.transactions[0]?.transactionId as number | undefined;
        if (vipps) {
          const added = await client.send(
            {
              method: "POST",
              path: `/v1/payments/${paymentId}/transactions`,
              key: `${keyPrefix}-transaction-${plan.id}`,
              body: { paymentAgreementId: agreementOf(ORGANISATIONS[plan.client]) },
            },
            30_000,
          );
          if (added.status !== 201) throw new Error(`add transaction: ${added.status} ${JSON.stringify(added.body)}`);
          transactionId = added.body.transactionId;
        }
        flows.push({ ...plan, paymentId, transactionId: transactionId! });
      }
    }),
  );
  return flows.sort((a, b) => a.id - b.id);
}

/** A session of the staff user who watches the payment screens. */
async function staffLogin(base: string): Promise<string> {
  const response = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
    body: new URLSearchParams(staff),
  });
  if (response.status !== 302) throw new Error(`staff login: ${response.status}`);
  return sessionCookieFrom(response);
}

/** Provider operations still PENDING: from the database on a server, from the staff screens on PGlite. */
async function pendingOperations(base: string, paymentIds: number[], cookie: string): Promise<number> {
  if (usingServer) {
    return database.withDatabase(async (handle) => {
      const [row] = await handle.db
        .select({ count: sql<number>`count(*)::int` })
        .from(providerOperations)
        .where(eq(providerOperations.status, "PENDING"));
      return row.count;
    });
  }
  let pending = 0;
  for (const paymentId of paymentIds) {
    const response = await fetch(
      `${base}/payments/${paymentId}?_data=${encodeURIComponent("routes/_staff.payments.$paymentId")}`,
      {
        headers: { Cookie: cookie },
      },
    );
    if (!response.ok) throw new Error(`staff payment screen ${paymentId}: ${response.status}`);
    pending += ((await response.json()) as { detail: { inProgress: unknown[] } }).detail.inProgress.length;
  }
  return pending;
}

// On the real PostgreSQL server only, where the issue asks for faults and races: on embedded PGlite
// each of the six restarts reopens the data directory (15–25 s on a loaded machine), which made
// this one file longer than half of the PGlite run. `CHAOS_PGLITE=1` runs it there too.
describe.skipIf(!process.env.DATABASE_URL && !process.env.CHAOS_PGLITE)(
  "chaos: a faulty PSP and a server killed five times",
  () => {
    it(`settles ${OPERATIONS} mixed operations with nothing lost or done twice, and the PSP's ledger agrees`, async () => {
      const rng = new Rng(SEED);
      const port = randomPort();
      const started = Date.now();
      const timeline: string[] = [];
      const mark = (what: string) => timeline.push(`${((Date.now() - started) / 1000).toFixed(1)} s ${what}`);
      let server: ServerProcess | undefined;
      const outputs: string[] = [];
      const start = async () => {
        server = await startServerProcess(database, port, SERVER_ENV);
        mark("server ready");
      };
      const stats: LoadStats = { statuses: new Map(), serverErrors: [] };
      const base = () => `http://127.0.0.1:${port}`;
      const clients = clientTokens.map((token) => new ChaosClient(base, token, stats));
      const keyPrefix = `chaos-${SEED}`;
      const steps: RecordedStep[] = [];
      try {
        await start();
        const flows = await createPayments(planFlows(rng, OPERATIONS, CLIENTS), clients, keyPrefix);
        mark(`${flows.length} payments made`);
        await psp().setFaults(FAULTS);

        // Kill after roughly every sixth of the operations (seeded), while the load runs.
        const thresholds = Array.from({ length: KILLS }, (_, i) =>
          Math.round(OPERATIONS * ((i + 1) / (KILLS + 1.5) + (rng.next() - 0.5) * 0.05)),
        );
        const pauses = thresholds.map(() => rng.int(0, 400));
        let done = 0;
        let loadOver = false;
        let lastRestart = 0;
        const load = runFlows(flows, WORKERS, {
          clients,
          keyPrefix,
          stepBudgetMs: 45_000,
          record(step) {
            steps.push(step);
            if (step.kind !== "CREATE_CREDIT") done += 1;
          },
        }).finally(() => {
          loadOver = true;
          mark(`load over: ${done} operations answered or given up`);
        });
        const killer = (async () => {
          for (const [index, threshold] of thresholds.entries()) {
            while (done < threshold && !loadOver) await sleep(20);
            await sleep(pauses[index]);
            outputs.push(server!.output());
            await stopServerProcess(server!, "SIGKILL");
            mark(`SIGKILL ${index + 1} after ${done} operations`);
            await start();
            lastRestart = Date.now();
          }
        })();
        await Promise.all([load, killer]);

        // The last restart is the clock's start: everything settles within the bound, faults still on.
        const cookie = await staffLogin(base());
        const paymentIds = flows.map((f) => f.paymentId);
        let pending = await pendingOperations(base(), paymentIds, cookie);
        while (pending > 0 && Date.now() - lastRestart < SETTLE_WITHIN_MS) {
          await sleep(500);
          pending = await pendingOperations(base(), paymentIds, cookie);
        }
        mark(
          `${pending} operations pending ${((Date.now() - lastRestart) / 1000).toFixed(1)} s after the last restart`,
        );
        expect(pending, `pending operations ${SETTLE_WITHIN_MS / 1000} s after the last restart`).toBe(0);

        outputs.push(server!.output());
        await stopServerProcess(server!, "SIGTERM");
        const state = await database.withDatabase((handle) => readPaydesk(handle, paymentIds));
        const pspState = { records: await pspOperations(psp().url), ledger: await psp().ledger(testMerchant()) };
        const problems = [
          ...stats.serverErrors.map((e) => `server error: ${e}`),
          ...checkOperations(state, pspState),
          ...checkLedger(state, pspState),
          ...checkInvariants(state),
          ...checkAnswers(state, steps),
          ...outputs.flatMap((o) =>
            o
              .split("\n")
              .filter((line) => line.includes('"level":"error"'))
              .map((line) => `server logged: ${line.slice(0, 400)}`),
          ),
        ];
        const gaveUp = steps.filter((s) => s.answer.status === 0);
        const byKind = new Map<string, number[]>();
        for (const s of steps) byKind.set(s.kind, [...(byKind.get(s.kind) ?? []), s.answer.status]);
        const summary = [...byKind].map(([kind, statuses]) => {
          const counts = new Map<number, number>();
          for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
          return `${kind}: ${[...counts].map(([s, n]) => `${n}×${s}`).join(" ")}`;
        });
        console.log(
          [
            `[chaos] seed ${SEED}, ${usingServer ? "PostgreSQL" : "PGlite"}, ${Date.now() - started} ms`,
            ...timeline,
            `operations: ${done}, sent ${steps.filter((s) => s.kind !== "CREATE_CREDIT" && s.answer.status !== NOT_SENT).length}; ` +
              `${steps.filter(isSuccess2xx).length} 2xx of ${steps.length} requests incl. credit creation`,
            ...summary,
            `HTTP statuses seen (0: connection failed): ${[...stats.statuses].map(([s, n]) => `${s}:${n}`).join(" ")}`,
            `PSP operations: ${pspState.records.length}, provider operations: ${state.operations.length}`,
            `final 4xx: ${
              [
                ...new Set(
                  steps
                    .filter((s) => s.answer.status >= 400)
                    .map((s) => `${s.kind} ${s.answer.status} ${String(s.answer.body?.detail).slice(0, 70)}`),
                ),
              ].join("\n  ") || "none"
            }`,
            `gave up: ${gaveUp.map((s) => `${s.kind} ${s.call.path} ${JSON.stringify(s.answer.retried)}`).join("\n  ") || "none"}`,
          ].join("\n"),
        );
        expect(problems).toEqual([]);
        expect(gaveUp.map((s) => `${s.kind} ${s.call.method} ${s.call.path}`)).toEqual([]);
        expect(done).toBe(OPERATIONS);
      } catch (error) {
        if (error instanceof Error)
          error.message = `[chaos seed ${SEED}: replay with CHAOS_SEED=${SEED}]\n${timeline.join("\n")}\n${error.message}`;
        throw error;
      } finally {
        if (server) await stopServerProcess(server, "SIGKILL");
      }
    }, 600_000);
  },
);

const isSuccess2xx = (step: RecordedStep) => isSuccess(step.answer);
