// Which staff reads may go to the read replica (DATABASE_READ_URL), with read-your-writes after a
// staff action (docs/decisions/045). The server asks `replicaReadsFor` before a staff request and
// `afterStaffWrite` after one that may have written; queries just call `readDb()`.
import type postgres from "postgres";
import { cookieAttributes } from "../auth/cookie.server";
import { getDatabase } from "../../db/client";
import { logger } from "./logger.server";

/** The primary's WAL position after this browser's last staff action: reads wait for it. */
const COOKIE = "pd_read_after";
/**
 * How long the cookie lives. It is dropped as soon as the replica has caught up; a replica still
 * behind after this long is broken rather than slow, and the lag is then the monitoring's business.
 */
const MAX_AGE_SECONDS = 600;
/** What pg_current_wal_lsn() prints: two hex numbers, e.g. 0/16B3748. */
const LSN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i;

export type ReplicaReads = {
  /** Whether `readDb()` may answer the replica for this request. */
  replica: boolean;
  /** A Set-Cookie header to send with the answer (the mark dropped), if any. */
  setCookie?: string;
};

function cookieValue(cookieHeader: string | null, name: string): string | undefined {
  for (const part of cookieHeader?.split(";") ?? []) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

/**
 * For a staff request (not /v1: API clients read their writes from the primary): a read-only
 * request reads the replica unless this browser acted lately and the replica has not yet replayed
 * that far. A replica that cannot say (down, unreachable) sends the request to the primary.
 */
export async function replicaReadsFor(request: Request): Promise<ReplicaReads> {
  const replica = getDatabase().replica;
  if (!replica || (request.method !== "GET" && request.method !== "HEAD")) return { replica: false };
  if (!(await replicaAnswers(replica.pg))) return { replica: false };
  const mark = cookieValue(request.headers.get("Cookie"), COOKIE);
  if (!mark || !LSN.test(mark)) return { replica: true };
  try {
    const [row] = await replica.pg<{ caughtUp: boolean | null }[]>`
      select pg_last_wal_replay_lsn() >= ${mark}::pg_lsn as "caughtUp"`;
    if (!row?.caughtUp) return { replica: false };
    return { replica: true, setCookie: `${COOKIE}=; ${cookieAttributes(request)}; Max-Age=0` };
  } catch (error) {
    logger.warn("read replica unavailable; reading from the primary", { error: String(error) });
    return { replica: false };
  }
}

/**
 * After a staff request that may have written (any method but GET and HEAD): the cookie that
 * holds this browser's next reads on the primary until the replica has replayed past the primary's
 * WAL position now, which is at or past the commit of whatever the request wrote.
 */
export async function afterStaffWrite(request: Request): Promise<string | undefined> {
  const handle = getDatabase();
  if (!handle.replica || !handle.pg || request.method === "GET" || request.method === "HEAD") return undefined;
  const [row] = await handle.pg<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`;
  return row && `${COOKIE}=${row.lsn}; ${cookieAttributes(request)}; Max-Age=${MAX_AGE_SECONDS}`;
}

// ---------------------------------------------------------------- is the replica there?

/** How long a probe's verdict on the replica stands: at most one probe a second per process. */
const PROBE_EVERY_MS = 1000;
/** A replica that has not answered the probe by then is taken as down for this verdict. */
const PROBE_TIMEOUT_MS = 500;

type Verdict = { at: number; answers: boolean; probing?: Promise<boolean> };
const verdicts = new WeakMap<postgres.Sql, Verdict>();

/**
 * Whether the replica answers, from a probe at most a second old: while it is down or hung, pages
 * read the primary instead of failing (or waiting for a connect timeout), and go back to the
 * replica on the first probe that it answers again. Concurrent requests share one probe.
 */
async function replicaAnswers(pg: postgres.Sql): Promise<boolean> {
  const verdict = verdicts.get(pg);
  if (verdict && Date.now() - verdict.at < PROBE_EVERY_MS) return verdict.answers;
  if (verdict?.probing) return verdict.probing;
  const probing = probe(pg).then((answers) => {
    if (!answers && verdicts.get(pg)?.answers !== false) {
      logger.warn("read replica does not answer; staff pages read the primary", {});
    }
    verdicts.set(pg, { at: Date.now(), answers });
    return answers;
  });
  verdicts.set(pg, { at: verdict?.at ?? 0, answers: verdict?.answers ?? false, probing });
  return probing;
}

async function probe(pg: postgres.Sql): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
  });
  const answered = pg`select 1`.then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([answered, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
