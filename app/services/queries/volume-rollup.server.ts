// The daily_volume rollup as the dashboard and the settlements screen both read it: the same sums,
// the same key for volume without a settlement id ('', which their statements test as
// `settlement_id = ''`), and the same fold into per-currency totals split by it, so the two
// screens show the same figures for the same range to the øre (docs/decisions/032-reconciled-volume.md).
import { sql, type SQLWrapper } from "drizzle-orm";
import { dailyVolume } from "../../../db/schema";
import { add, money, subtract, toDbAmount, ZERO, type Money } from "../../domain/money";

/** The rollup's settlement id for payments without one (app/platform/operation-log.server.ts). */
export const NO_SETTLEMENT = "";

/** The six figures a volume row carries: the rollup's columns, or a grouping of them that keeps their names. */
export type VolumeFigures = Record<
  "captured" | "capturedCount" | "credited" | "creditedCount" | "chargedBack" | "chargedBackCount",
  SQLWrapper
>;

/** Sums of volume rows, as the database adds them (numeric as text, counts as numbers). */
export function volumeSumsOf(figures: VolumeFigures) {
  return {
    captured: sql<string>`sum(${figures.captured})::text`,
    capturedCount: sql<number>`sum(${figures.capturedCount})::bigint`.mapWith(Number),
    credited: sql<string>`sum(${figures.credited})::text`,
    creditedCount: sql<number>`sum(${figures.creditedCount})::bigint`.mapWith(Number),
    chargedBack: sql<string>`sum(${figures.chargedBack})::text`,
    chargedBackCount: sql<number>`sum(${figures.chargedBackCount})::bigint`.mapWith(Number),
  };
}

/** Sums of rollup rows. */
export const volumeSums = volumeSumsOf({
  captured: dailyVolume.capturedAmount,
  capturedCount: dailyVolume.capturedCount,
  credited: dailyVolume.creditedAmount,
  creditedCount: dailyVolume.creditedCount,
  chargedBack: dailyVolume.chargedBackAmount,
  chargedBackCount: dailyVolume.chargedBackCount,
});

export type VolumeSumsRow = {
  captured: string;
  capturedCount: number;
  credited: string;
  creditedCount: number;
  /** Lost chargebacks (docs/decisions/040). */
  chargedBack: string;
  chargedBackCount: number;
};

/** The same sums as a hand-written statement returns them: snake case, counts as bigint. */
export type VolumeSumsSqlRow = {
  captured: string;
  captured_count: string | number;
  credited: string;
  credited_count: string | number;
  charged_back: string;
  charged_back_count: string | number;
};

/** A statement's sums as VolumeSumsRow (counts as numbers: a range's counts stay far below 2^53). */
export function volumeSumsFromSql(row: VolumeSumsSqlRow): VolumeSumsRow {
  return {
    captured: row.captured,
    capturedCount: Number(row.captured_count),
    credited: row.credited,
    creditedCount: Number(row.credited_count),
    chargedBack: row.charged_back,
    chargedBackCount: Number(row.charged_back_count),
  };
}

/** A currency's captured, credited and net volume with their counts (decimal strings, 5 decimals). */
export type CurrencyVolume = VolumeSumsRow & {
  currency: string;
  /** captured − credited − charged back. */
  net: string;
};

/** A currency's volume over a range: all of it, and the part under no settlement id. */
export type SplitVolume = {
  currency: string;
  total: CurrencyVolume;
  withSettlement: CurrencyVolume;
  withoutSettlement: CurrencyVolume;
};

/** A running, exact sum of rollup rows (money.ts bigints); the dashboard folds its keys with it too. */
export type RunningVolume = {
  captured: Money;
  credited: Money;
  chargedBack: Money;
  capturedCount: number;
  creditedCount: number;
  chargedBackCount: number;
};

export const emptyVolume = (): RunningVolume => ({
  captured: ZERO,
  credited: ZERO,
  chargedBack: ZERO,
  capturedCount: 0,
  creditedCount: 0,
  chargedBackCount: 0,
});

/** A row's figures as exact bigints: each of its amounts parsed once, however many sums it goes into. */
export function parseVolume(row: VolumeSumsRow): RunningVolume {
  return {
    captured: money(row.captured),
    credited: money(row.credited),
    chargedBack: money(row.chargedBack),
    capturedCount: row.capturedCount,
    creditedCount: row.creditedCount,
    chargedBackCount: row.chargedBackCount,
  };
}

export function addVolume(into: RunningVolume, volume: RunningVolume): void {
  into.captured = add(into.captured, volume.captured);
  into.credited = add(into.credited, volume.credited);
  into.chargedBack = add(into.chargedBack, volume.chargedBack);
  into.capturedCount += volume.capturedCount;
  into.creditedCount += volume.creditedCount;
  into.chargedBackCount += volume.chargedBackCount;
}

/** Net volume: what was captured less what went back, by credit or lost chargeback. */
export function netOf(volume: Pick<RunningVolume, "captured" | "credited" | "chargedBack">): Money {
  return subtract(subtract(volume.captured, volume.credited), volume.chargedBack);
}

/** The figures of a running sum, as decimal strings. */
export function volumeFigures(running: RunningVolume): Omit<CurrencyVolume, "currency"> {
  return {
    captured: toDbAmount(running.captured),
    capturedCount: running.capturedCount,
    credited: toDbAmount(running.credited),
    creditedCount: running.creditedCount,
    chargedBack: toDbAmount(running.chargedBack),
    chargedBackCount: running.chargedBackCount,
    net: toDbAmount(netOf(running)),
  };
}

const figures = (currency: string, running: RunningVolume): CurrencyVolume => ({
  currency,
  ...volumeFigures(running),
});

/** A rollup row's currency, settlement side and parsed figures (parseVolume): what splitBySettlement folds. */
export type SettlementSideVolume = { currency: string; withoutSettlement: boolean; volume: RunningVolume };

/**
 * Per currency (in code order), exact sums of rollup rows: all, with and without a settlement
 * id. Both screens fold their rows through this, so their totals cannot be computed apart.
 */
export function splitBySettlement(rows: Iterable<SettlementSideVolume>): SplitVolume[] {
  const per = new Map<string, { total: RunningVolume; with: RunningVolume; without: RunningVolume }>();
  for (const row of rows) {
    let entry = per.get(row.currency);
    if (!entry) per.set(row.currency, (entry = { total: emptyVolume(), with: emptyVolume(), without: emptyVolume() }));
    addVolume(entry.total, row.volume);
    addVolume(row.withoutSettlement ? entry.without : entry.with, row.volume);
  }
  return [...per.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, entry]) => ({
      currency,
      total: figures(currency, entry.total),
      withSettlement: figures(currency, entry.with),
      withoutSettlement: figures(currency, entry.without),
    }));
}
