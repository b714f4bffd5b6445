// Where the four-eyes thresholds of credits come from (app/domain/four-eyes.ts has the rule):
// the `app_settings` row below once an admin has changed them on the credits screen, until then
// PAYDESK_FOUR_EYES_THRESHOLD (an amount in NOK), and without that 10 000 NOK.
import { eq } from "drizzle-orm";
import type { Db, Tx } from "../../../db/client";
import { appSettings } from "../../../db/schema";
import { invalid } from "../../domain/errors";
import { DEFAULT_FOUR_EYES_CURRENCY, type FourEyesThresholds } from "../../domain/four-eyes";
import { formatAmount, money, parseAmount, type Money } from "../../domain/money";
import { logger } from "../../platform/logger.server";
import { auditStaffAction } from "../../platform/audit.server";
import type { Caller } from "../../domain/caller";
import { inTransaction } from "../../platform/transaction.server";

export const FOUR_EYES_SETTING_KEY = "credits.four_eyes_thresholds";

const DEFAULT_THRESHOLD = "10000.00";

/** The thresholds before anyone changed them: PAYDESK_FOUR_EYES_THRESHOLD or 10 000, in NOK. */
export function defaultFourEyesThresholds(env: NodeJS.ProcessEnv = process.env): FourEyesThresholds {
  const configured = env.PAYDESK_FOUR_EYES_THRESHOLD?.trim() || DEFAULT_THRESHOLD;
  const parsed = parseAmount(configured);
  if (parsed.ok) return new Map([[DEFAULT_FOUR_EYES_CURRENCY, parsed.value]]);
  // A broken setting of a control must not switch the control off: every credit needs four eyes.
  logger.error("PAYDESK_FOUR_EYES_THRESHOLD is not a decimal amount; every NOK credit now needs a second staff user", {
    value: configured,
  });
  return new Map([[DEFAULT_FOUR_EYES_CURRENCY, 0n as Money]]);
}

type StoredThresholds = Record<string, string>;

function fromStored(value: unknown): FourEyesThresholds {
  const thresholds = new Map<string, Money>();
  for (const [currency, amount] of Object.entries((value ?? {}) as StoredThresholds))
    thresholds.set(currency, money(amount));
  return thresholds;
}

function toStored(thresholds: FourEyesThresholds): StoredThresholds {
  return Object.fromEntries(
    [...thresholds]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, amount]) => [currency, formatAmount(amount)]),
  );
}

export type FourEyesSettings = { thresholds: FourEyesThresholds; source: "setting" | "default" };

export async function readFourEyesSettings(database: Db | Tx): Promise<FourEyesSettings> {
  const [row] = await database.select().from(appSettings).where(eq(appSettings.key, FOUR_EYES_SETTING_KEY));
  return row
    ? { thresholds: fromStored(row.value), source: "setting" }
    : { thresholds: defaultFourEyesThresholds(), source: "default" };
}

export async function readFourEyesThresholds(database: Db | Tx): Promise<FourEyesThresholds> {
  return (await readFourEyesSettings(database)).thresholds;
}

/** For screens: the thresholds as decimal strings, by currency. */
export function thresholdList(thresholds: FourEyesThresholds): { currency: string; amount: string }[] {
  return Object.entries(toStored(thresholds)).map(([currency, amount]) => ({ currency, amount }));
}

export type ThresholdChange = { currency: string; amount: string | null };

/**
 * Sets (or, with a null amount, removes) the threshold of one currency. Removing one means every
 * credit in that currency needs a second staff user. One transaction: the setting row is locked,
 * changed and audited together.
 * @throws invalid  the currency is not a 3-letter code; the amount is not a decimal amount
 */
export async function setFourEyesThreshold(caller: Caller, change: ThresholdChange): Promise<FourEyesThresholds> {
  if (!/^[A-Z]{3}$/.test(change.currency)) throw invalid("currency", "must be a 3-letter ISO 4217 code such as NOK");
  let amount: Money | null = null;
  if (change.amount !== null) {
    const parsed = parseAmount(change.amount);
    if (!parsed.ok) throw invalid("amount", parsed.message);
    amount = parsed.value;
  }
  return inTransaction(async (tx) => {
    // The first change starts from the defaults; the row lock orders concurrent admins.
    await tx
      .insert(appSettings)
      .values({ key: FOUR_EYES_SETTING_KEY, value: toStored(defaultFourEyesThresholds()) })
      .onConflictDoNothing();
    const [row] = await tx.select().from(appSettings).where(eq(appSettings.key, FOUR_EYES_SETTING_KEY)).for("update");
    const before = fromStored(row.value);
    const after = new Map(before);
    if (amount === null) after.delete(change.currency);
    else after.set(change.currency, amount);
    await tx
      .update(appSettings)
      .set({ value: toStored(after), updatedAt: new Date() })
      .where(eq(appSettings.key, FOUR_EYES_SETTING_KEY));
    await auditStaffAction(tx, caller, {
      action: "credit.four_eyes_threshold.update",
      entityType: "app_setting",
      entityId: FOUR_EYES_SETTING_KEY,
      before: toStored(before),
      after: toStored(after),
    });
    return after;
  });
}
