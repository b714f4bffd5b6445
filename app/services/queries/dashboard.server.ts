// The dashboard's numbers: captured, credited and net volume over a range of UTC days, per day
// and payment type group, per currency, with counts and the top payment types. Everything is
// read from the daily_volume rollup (ledger.server.ts keeps it in the same DB transaction as
// every capture and credit), so the cost grows with days × keys, never with transactions.
// Amounts are summed in SQL numeric, then exactly as money.ts bigints, and leave as decimal
// strings; amounts of different currencies are never added. The authorization attempts
// (approved, declined, failed) come likewise from the daily_outcomes rollup
// (authorization-outcomes.server.ts), never from transactions.
import { sql } from "drizzle-orm";
import { rowsOf } from "../../platform/sql-rows.server";
import type { Db } from "../../../db/client";
import { readDb } from "../../platform/db.server";
import type { StaffCaller } from "../../domain/caller";
import { dailyOutcomes, dailyVolume } from "../../../db/schema";
import { daysOf } from "../../domain/day-range";
import { add, compare } from "../../domain/money";
import {
  addVolume,
  emptyVolume,
  splitBySettlement,
  parseVolume,
  volumeFigures,
  volumeSumsFromSql,
  type CurrencyVolume,
  type RunningVolume,
  type VolumeSumsSqlRow,
} from "./volume-rollup.server";

export type DashboardQuery = {
  /** First and last UTC day, both included, "YYYY-MM-DD". */
  from: string;
  to: string;
  /** The currency to show; null picks NOK when it has volume in the range, else the busiest one. */
  currency: string | null;
};

export type VolumeTotals = {
  /** Decimal strings with the database's 5 decimals, e.g. "1234.50000". */
  captured: string;
  credited: string;
  /** Lost chargebacks (docs/decisions/040). */
  chargedBack: string;
  /** captured − credited − charged back. */
  net: string;
  capturedCount: number;
  creditedCount: number;
  chargedBackCount: number;
};

export type GroupVolume = { captured: string; credited: string; chargedBack: string; net: string };

export type DashboardDay = {
  day: string;
  /** Per payment type group that has volume anywhere in the range (zeros where none that day). */
  groups: Record<string, GroupVolume>;
  total: GroupVolume;
};

export type PaymentTypeVolume = VolumeTotals & {
  paymentType: string;
  paymentTypeGroup: string;
  /** Percentage of the currency's captured volume in the range, one decimal, e.g. "42.1". */
  capturedShare: string;
};

/** Authorization attempts and how the provider answered them. */
export type OutcomeCounts = {
  attempts: number;
  approved: number;
  /** The provider said no (REFUSED_BY_ISSUER, SOFT_DECLINE…). */
  declined: number;
  /** The provider could not be asked, or asking it failed. */
  failed: number;
  /** (declined + failed) / attempts as a percentage with one decimal, e.g. "3.4"; "0.0" without attempts. */
  unapprovedShare: string;
};

export type AuthorizationOutcomes = OutcomeCounts & {
  /** Per payment type group with attempts in the range, the most attempts first. */
  groups: Array<OutcomeCounts & { paymentTypeGroup: string }>;
  /** Every day of the range, oldest first (zeros on a day without attempts): the trend. */
  days: Array<OutcomeCounts & { day: string }>;
};

export type Dashboard = {
  from: string;
  to: string;
  /**
   * Every currency with volume or authorization attempts in the range: NOK first, then the most
   * captures and credits first (a currency with attempts only has zero totals).
   */
  currencies: Array<VolumeTotals & { currency: string }>;
  /** The currency the rest is about; null when nothing happened in the range. */
  currency: string | null;
  /** The currency's totals: the settlements screen's totals for the same range (volume-rollup.server.ts). */
  totals: VolumeTotals;
  /** The part of `totals` under a settlement id and the part without one. */
  bySettlement: { withSettlement: VolumeTotals; withoutSettlement: VolumeTotals };
  /** Groups with volume in the range, the most captured first (the chart's stacking order). */
  groups: string[];
  /** Every day of the range, oldest first. */
  days: DashboardDay[];
  /** Payment types by captured volume, at most TOP_PAYMENT_TYPES. */
  topPaymentTypes: PaymentTypeVolume[];
  /** Authorization attempts in the currency over the range. */
  authorizations: AuthorizationOutcomes;
};

export const TOP_PAYMENT_TYPES = 10;

/** A running sum of rollup rows, exact (money.ts bigints). */
type Volume = RunningVolume;

const totalsOf = (volume: Volume): VolumeTotals => volumeFigures(volume);

function totalsFrom({ currency: _currency, ...volume }: CurrencyVolume): VolumeTotals {
  return volume;
}

/** The entry of `key`, created empty on first use. */
function entry<K>(map: Map<K, Volume>, key: K): Volume {
  let volume = map.get(key);
  if (!volume) map.set(key, (volume = emptyVolume()));
  return volume;
}

/** The service's home currency (the API's default currency): the dashboard opens on it when it can. */
const HOME_CURRENCY = "NOK";

/**
 * Currencies in the order the picker offers them. Amounts of different currencies cannot be
 * compared (129 SEK is less than 123 NOK), so the home currency comes first and the rest follow by
 * how many captures, credits and lost chargebacks they had, then by code.
 */
function byActivity(activity: Map<string, number>): string[] {
  return [...activity.entries()]
    .sort(([a, x], [b, y]) => Number(b === HOME_CURRENCY) - Number(a === HOME_CURRENCY) || y - x || a.localeCompare(b))
    .map(([key]) => key);
}

/** Largest captured first, then by name, so equal volumes keep a stable order. */
function byCaptured<K extends string>(map: Map<K, Volume>): K[] {
  return [...map.entries()]
    .sort(([a, x], [b, y]) => compare(y.captured, x.captured) || a.localeCompare(b))
    .map(([key]) => key);
}

/**
 * One aggregate over the range folds the rollup's settlement ids (but for with or without one),
 * organisations and shards away: at a million payments over 90 days, ~265,000 rows become
 * ~5,000 (day × currency × payment type × with or without a settlement id), and the
 * per-currency, per-day and per-type figures are then exact bigint sums of those, each row's
 * amounts parsed once (docs/decisions/054-dashboard-folds-each-row-once.md).
 */
async function volumeByKey(database: Db, query: DashboardQuery): Promise<VolumeRow[]> {
  // A payment type belongs to one group (enums.ts), so the group is no key of its own: with one
  // key fewer the planner sees that the rows fold into few enough groups to hash them (with it,
  // it sorts the whole range first, ~3× slower over a week). A template, not the query builder:
  // building costs about a millisecond, as much as the rest of a week's dashboard besides the read.
  const rows = await rowsOf<
    {
      day: string;
      currency: string;
      payment_type: string;
      payment_type_group: string;
      without_settlement: boolean;
    } & VolumeSumsSqlRow
  >(
    database,
    sql`select day::text as day, currency, payment_type, max(payment_type_group) as payment_type_group,
               (settlement_id = '') as without_settlement,
               sum(captured_amount)::text as captured, sum(captured_count)::bigint as captured_count,
               sum(credited_amount)::text as credited, sum(credited_count)::bigint as credited_count,
               sum(charged_back_amount)::text as charged_back, sum(charged_back_count)::bigint as charged_back_count
          from ${dailyVolume} where day between ${query.from} and ${query.to}
         group by day, currency, payment_type, (settlement_id = '')`,
  );
  return rows.map((row) => ({
    day: row.day,
    currency: row.currency,
    paymentType: row.payment_type,
    paymentTypeGroup: row.payment_type_group,
    withoutSettlement: row.without_settlement,
    volume: parseVolume(volumeSumsFromSql(row)),
  }));
}

/** A row of volumeByKey: a day's volume in a currency and payment type, on one settlement side, parsed. */
type VolumeRow = {
  day: string;
  currency: string;
  paymentType: string;
  paymentTypeGroup: string;
  withoutSettlement: boolean;
  volume: Volume;
};

export async function getDashboard(_caller: StaffCaller, input: DashboardQuery): Promise<Dashboard> {
  const query = input;
  const database = readDb();
  // The volume and the outcomes at once: two reads of separate rollups (see outcomesIn).
  const [parsed, outcomeRows] = await Promise.all([volumeByKey(database, query), outcomesIn(query, database)]);

  // The totals per currency through the settlements screen's own fold (volume-rollup.server.ts).
  const split = new Map(splitBySettlement(parsed).map((entry) => [entry.currency, entry]));
  const activity = new Map<string, number>();
  for (const { currency, total } of split.values())
    activity.set(currency, total.capturedCount + total.creditedCount + total.chargedBackCount);
  for (const row of outcomeRows) if (!activity.has(row.currency)) activity.set(row.currency, 0);
  const noVolume = totalsOf(emptyVolume());
  const currencies = byActivity(activity).map((currency) => ({
    currency,
    ...(split.has(currency) ? totalsFrom(split.get(currency)!.total) : noVolume),
  }));
  const currency = query.currency ?? currencies[0]?.currency ?? null;
  const chosen = currency === null ? undefined : split.get(currency);

  const perGroup = new Map<string, Volume>();
  const perDayGroup = new Map<string, Volume>();
  const perType = new Map<string, Volume>();
  const groupOfType = new Map<string, string>();
  const total = emptyVolume();
  for (const row of parsed) {
    const { volume } = row;
    if (row.currency !== currency) continue;
    addVolume(total, volume);
    addVolume(entry(perGroup, row.paymentTypeGroup), volume);
    addVolume(entry(perDayGroup, `${row.day}|${row.paymentTypeGroup}`), volume);
    addVolume(entry(perType, row.paymentType), volume);
    groupOfType.set(row.paymentType, row.paymentTypeGroup);
  }
  const groups = byCaptured(perGroup);

  const days = daysOf(query).map((day) => {
    const dayTotal = emptyVolume();
    const volumes: Record<string, GroupVolume> = {};
    for (const group of groups) {
      const volume = perDayGroup.get(`${day}|${group}`) ?? emptyVolume();
      dayTotal.captured = add(dayTotal.captured, volume.captured);
      dayTotal.credited = add(dayTotal.credited, volume.credited);
      dayTotal.chargedBack = add(dayTotal.chargedBack, volume.chargedBack);
      volumes[group] = groupVolumeOf(volume);
    }
    return { day, groups: volumes, total: groupVolumeOf(dayTotal) };
  });

  const topPaymentTypes = byCaptured(perType)
    .slice(0, TOP_PAYMENT_TYPES)
    .map((paymentType) => {
      const volume = perType.get(paymentType)!;
      return {
        paymentType,
        paymentTypeGroup: groupOfType.get(paymentType)!,
        ...totalsOf(volume),
        capturedShare: percentage(volume.captured, total.captured),
      };
    });

  const authorizations = authorizationsOf(
    outcomeRows.filter((row) => row.currency === currency),
    daysOf(query),
  );

  return {
    from: query.from,
    to: query.to,
    currencies,
    currency,
    totals: chosen ? totalsFrom(chosen.total) : noVolume,
    bySettlement: {
      withSettlement: chosen ? totalsFrom(chosen.withSettlement) : noVolume,
      withoutSettlement: chosen ? totalsFrom(chosen.withoutSettlement) : noVolume,
    },
    groups,
    days,
    topPaymentTypes,
    authorizations,
  };
}

type OutcomeRow = {
  day: string;
  currency: string;
  paymentTypeGroup: string;
  approved: number;
  declined: number;
  failed: number;
};

/**
 * The range's attempts per day, currency and payment type group, organisations folded away
 * (every currency: the picker offers those with attempts only, too). A second statement beside
 * the volume's: a commit between the two can make them disagree by that one operation, which
 * no figure here is checked against.
 */
async function outcomesIn(query: DashboardQuery, database: Db): Promise<OutcomeRow[]> {
  const rows = await rowsOf<{
    day: string;
    currency: string;
    payment_type_group: string;
    approved: string | number;
    declined: string | number;
    failed: string | number;
  }>(
    database,
    sql`select day::text as day, currency, payment_type_group, sum(approved_count)::bigint as approved,
               sum(declined_count)::bigint as declined, sum(failed_count)::bigint as failed
          from ${dailyOutcomes} where day between ${query.from} and ${query.to}
         group by day, currency, payment_type_group`,
  );
  return rows.map((row) => ({
    day: row.day,
    currency: row.currency,
    paymentTypeGroup: row.payment_type_group,
    approved: Number(row.approved),
    declined: Number(row.declined),
    failed: Number(row.failed),
  }));
}

/** The rows' counts added up per key. */
function countsBy(rows: OutcomeRow[], key: (row: OutcomeRow) => string): Map<string, OutcomeCounts> {
  const sums = new Map<string, { approved: number; declined: number; failed: number }>();
  for (const row of rows) {
    const sum = sums.get(key(row)) ?? { approved: 0, declined: 0, failed: 0 };
    sum.approved += row.approved;
    sum.declined += row.declined;
    sum.failed += row.failed;
    sums.set(key(row), sum);
  }
  return new Map(
    [...sums].map(([name, sum]) => [name, outcomeCounts(sum.approved, sum.declined, sum.failed)] as const),
  );
}

function authorizationsOf(rows: OutcomeRow[], days: string[]): AuthorizationOutcomes {
  const groups = [...countsBy(rows, (row) => row.paymentTypeGroup)]
    .map(([paymentTypeGroup, counts]) => ({ paymentTypeGroup, ...counts }))
    .filter((group) => group.attempts > 0)
    .sort((a, b) => b.attempts - a.attempts || a.paymentTypeGroup.localeCompare(b.paymentTypeGroup));
  const perDay = countsBy(rows, (row) => row.day);
  const all = countsBy(rows, () => "all").get("all") ?? outcomeCounts(0, 0, 0);
  return {
    ...all,
    groups,
    days: days.map((day) => ({ day, ...(perDay.get(day) ?? outcomeCounts(0, 0, 0)) })),
  };
}

function outcomeCounts(approved: number, declined: number, failed: number): OutcomeCounts {
  const attempts = approved + declined + failed;
  return {
    attempts,
    approved,
    declined,
    failed,
    unapprovedShare: percentage(BigInt(declined + failed), BigInt(attempts)),
  };
}

function groupVolumeOf(volume: Volume): GroupVolume {
  const { captured, credited, chargedBack, net } = totalsOf(volume);
  return { captured, credited, chargedBack, net };
}

/** part / whole as a percentage with one decimal, rounded half up, in integers: "42.1". */
function percentage(part: bigint, whole: bigint): string {
  if (whole <= 0n) return "0.0";
  const tenths = (part * 2000n + whole) / (2n * whole);
  return `${tenths / 10n}.${tenths % 10n}`;
}
