// What every successful operation writes besides its state change, in the same DB transaction:
// the append-only operation-log entry and, for captures and credits, the daily volume rollup.
import { sql } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { dailyVolume, operationLog } from "../../db/schema";
import type { Operation } from "../domain/enums";
import { toDbAmount, type Money } from "../domain/money";
import { operationActor, type Caller } from "./caller";

export async function appendOperation(
  tx: Tx,
  entry: { transactionId: number; paymentId: number; operation: Operation; amount: Money | null; at: Date },
  caller: Caller,
): Promise<void> {
  await tx.insert(operationLog).values({
    transactionId: entry.transactionId,
    paymentId: entry.paymentId,
    operation: entry.operation,
    amount: entry.amount === null ? null : toDbAmount(entry.amount),
    createdAt: entry.at,
    ...operationActor(caller),
  });
}

export type VolumeKey = {
  at: Date;
  organisationId: number;
  currency: string;
  paymentTypeGroup: string;
  paymentType: string | null;
  settlementId: string | null;
};

/** Adds a capture or a credit to the day's rollup (the dashboard and settlements read only this). */
export async function addToVolume(tx: Tx, key: VolumeKey, kind: "captured" | "credited", amount: Money): Promise<void> {
  const value = toDbAmount(amount);
  const row = {
    day: key.at.toISOString().slice(0, 10),
    organisationId: key.organisationId,
    currency: key.currency,
    paymentTypeGroup: key.paymentTypeGroup,
    paymentType: key.paymentType ?? key.paymentTypeGroup,
    settlementId: key.settlementId ?? "",
    capturedAmount: kind === "captured" ? value : "0",
    capturedCount: kind === "captured" ? 1 : 0,
    creditedAmount: kind === "credited" ? value : "0",
    creditedCount: kind === "credited" ? 1 : 0,
  };
  await tx
    .insert(dailyVolume)
    .values(row)
    .onConflictDoUpdate({
      target: [
        dailyVolume.day,
        dailyVolume.organisationId,
        dailyVolume.currency,
        dailyVolume.paymentTypeGroup,
        dailyVolume.paymentType,
        dailyVolume.settlementId,
      ],
      set:
        kind === "captured"
          ? {
              capturedAmount: sql`${dailyVolume.capturedAmount} + ${value}::numeric`,
              capturedCount: sql`${dailyVolume.capturedCount} + 1`,
            }
          : {
              creditedAmount: sql`${dailyVolume.creditedAmount} + ${value}::numeric`,
              creditedCount: sql`${dailyVolume.creditedCount} + 1`,
            },
    });
}
