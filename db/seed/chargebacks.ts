// The demo's chargebacks (docs/decisions/040), opened and decided through the real use-cases as
// the demo's finance user, so they hold their amounts, reach the rollup when lost and have their
// audit entries like any other: three OPEN with due dates (one overdue), one WON and one LOST,
// on captured NOK transactions that nothing has credited yet (those under a settlement id first,
// so the Settlements screen shows them too).
import { and, asc, eq, sql } from "drizzle-orm";
import type { DatabaseHandle } from "../client";
import { paymentTransactions, payments, staffUsers } from "../schema";
import type { StaffCaller } from "../../app/domain/caller";
import { money, type Money } from "../../app/domain/money";
import { withDatabase } from "../../app/platform/db.server";
import { decideChargeback, openChargeback } from "../../app/services/chargebacks/chargebacks.server";

type DemoChargeback = {
  /** Of the captured amount: the whole of it, or this many hundredths. */
  share: "whole" | number;
  reasonCode: string;
  /** Days from now the evidence is due; null: no due date. */
  dueInDays: number | null;
  notes: string;
  outcome: "WON" | "LOST" | null;
};

const DEMO_CHARGEBACKS: DemoChargeback[] = [
  { share: "whole", reasonCode: "10.4", dueInDays: 9, notes: "Cardholder does not recognise the trip", outcome: null },
  { share: 50, reasonCode: "13.1", dueInDays: 3, notes: "Ticket says not received; half disputed", outcome: null },
  { share: "whole", reasonCode: "4837", dueInDays: -2, notes: "Evidence not sent yet: overdue", outcome: null },
  {
    share: "whole",
    reasonCode: "13.6",
    dueInDays: 14,
    notes: "Credit was promised by customer service",
    outcome: "WON",
  },
  { share: "whole", reasonCode: "10.4", dueInDays: 5, notes: "Fraudulent use of a stolen card", outcome: "LOST" },
];

const day = (now: Date, offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);

/** Seeds the demo chargebacks; does nothing when the demo has too few captured transactions. */
export async function seedDemoChargebacks(handle: DatabaseHandle, financeEmail: string, now: Date): Promise<number> {
  const [finance] = await handle.db
    .select({ id: staffUsers.id, email: staffUsers.email })
    .from(staffUsers)
    .where(eq(staffUsers.email, financeEmail));
  if (!finance) return 0;
  const candidates = await handle.db
    .select({
      paymentId: paymentTransactions.paymentId,
      transactionId: paymentTransactions.transactionId,
      capturedAmount: paymentTransactions.capturedAmount,
    })
    .from(paymentTransactions)
    .innerJoin(payments, eq(payments.paymentId, paymentTransactions.paymentId))
    .where(
      and(
        eq(paymentTransactions.status, "CAPTURED"),
        eq(paymentTransactions.currency, "NOK"),
        eq(paymentTransactions.paymentTypeGroup, "PAYMENTCARD"),
        sql`${paymentTransactions.capturedAmount} > 0`,
        sql`${paymentTransactions.creditedAmount} = 0 and ${paymentTransactions.reservedAmount} = 0`,
        sql`${paymentTransactions.chargedBackAmount} = 0`,
      ),
    )
    .orderBy(sql`(${payments.settlementId} is null)`, asc(paymentTransactions.transactionId))
    .limit(DEMO_CHARGEBACKS.length);
  if (candidates.length < DEMO_CHARGEBACKS.length) return 0;
  const caller = (reason: string): StaffCaller => ({
    kind: "staff",
    userId: finance.id,
    email: finance.email,
    correlationId: crypto.randomUUID(),
    ip: "127.0.0.1",
    userAgent: "demo-seed",
    reason,
  });
  await withDatabase(handle, async () => {
    for (const [i, demo] of DEMO_CHARGEBACKS.entries()) {
      const { paymentId, transactionId, capturedAmount } = candidates[i];
      const captured = money(capturedAmount);
      // A share in whole øre: Money has 5 decimals, an amount of NOK 2 (1 øre = 1000 units).
      const amount =
        demo.share === "whole" ? captured : (((((captured / 1000n) * BigInt(demo.share)) / 100n) * 1000n) as Money);
      const { chargebackId } = await openChargeback(caller(`Scheme notice (demo): reason code ${demo.reasonCode}`), {
        paymentId,
        transactionId,
        amount,
        reasonCode: demo.reasonCode,
        dueDate: demo.dueInDays === null ? null : day(now, demo.dueInDays),
        notes: demo.notes,
      });
      if (demo.outcome) {
        await decideChargeback(caller(`Scheme decision (demo): ${demo.outcome.toLowerCase()}`), {
          chargebackId,
          outcome: demo.outcome,
        });
      }
    }
  });
  return DEMO_CHARGEBACKS.length;
}
