// What waits for a person in the back-office: credits that the four-eyes rule holds until a
// second staff user executes them, and provider operations whose outcome is still unknown. The
// navigation shows the count to those who can act; the work-queue screen lists them.
// Read-only: executing or resolving goes through the credits and operations use-cases.
import { and, asc, count, eq, isNotNull, or } from "drizzle-orm";
import { readDb } from "../../platform/db.server";
import { apiClients, credits, providerOperations } from "../../../db/schema";
import { fourEyesRefusal, type FourEyesExecutor } from "../../domain/four-eyes";
import { money } from "../../domain/money";
import type { StaffCaller } from "../../domain/caller";
import { loadCreditViews } from "../credits/credits.server";
import { readFourEyesSettings } from "../credits/four-eyes-thresholds.server";
import { describeCredits, type ScreenCredit } from "./credit-screens.server";

/** Open staff-made credits the queue looks at; more than this many waiting is a backlog to work down, not to list. */
const CREDIT_LIMIT = 200;
const OPERATION_LIMIT = 100;

/** What the viewer can act on (their role's permissions, decided by the caller). */
export type QueueRights = { executeCredits: boolean; resolveOperations: boolean };

export type WaitingOperation = {
  operationId: number;
  kind: string;
  paymentId: number | null;
  transactionId: number | null;
  claimedBy: string;
  createdAt: Date;
  attempts: number;
};

export type WorkQueue = {
  /** Credits the four-eyes rule keeps from their creator (another staff user, or an API client): the viewer may execute them. */
  creditsForYou: ScreenCredit[];
  /** The viewer's own such credits: somebody else must execute them. */
  yourCreditsWaiting: ScreenCredit[];
  /** Provider operations in progress, oldest first. */
  operations: WaitingOperation[];
  operationCount: number;
};

/**
 * Open credits the four-eyes rule keeps from their own creator (the ones that wait for a second
 * person): a staff user's above the threshold, and an API client's that the client may not
 * execute (it is not privileged; docs/decisions/026).
 */
async function creditsAwaitingSecondStaffUser() {
  const database = readDb();
  const rows = await database
    .select({ credit: credits, clientPrivileged: apiClients.privileged })
    .from(credits)
    .leftJoin(apiClients, eq(apiClients.clientId, credits.createdByClientId))
    .where(
      and(
        eq(credits.status, "CREATED"),
        eq(credits.active, true),
        or(isNotNull(credits.createdByStaffUserId), eq(apiClients.privileged, false)),
      ),
    )
    .orderBy(asc(credits.createdAt), asc(credits.creditId))
    .limit(CREDIT_LIMIT);
  const { thresholds } = await readFourEyesSettings(database);
  return rows
    .filter(({ credit, clientPrivileged }) => {
      const creator: FourEyesExecutor = credit.createdByStaffUserId
        ? { kind: "staff", userId: credit.createdByStaffUserId }
        : { kind: "client", privileged: clientPrivileged ?? false };
      const asCreated = { ...credit, totalCreditAmount: money(credit.totalCreditAmount) };
      return fourEyesRefusal(asCreated, creator, thresholds) !== null;
    })
    .map(({ credit }) => credit);
}

/** The queue as the screen lists it. */
export async function workQueue(viewer: StaffCaller, rights: QueueRights): Promise<WorkQueue> {
  const database = readDb();
  const waiting = rights.executeCredits ? await creditsAwaitingSecondStaffUser() : [];
  const described = await describeCredits(database, await loadCreditViews(database, waiting));
  const operations = rights.resolveOperations
    ? await database
        .select()
        .from(providerOperations)
        .where(eq(providerOperations.status, "PENDING"))
        .orderBy(asc(providerOperations.createdAt))
        .limit(OPERATION_LIMIT)
    : [];
  const operationCount = rights.resolveOperations ? await pendingOperationCount() : 0;
  return {
    creditsForYou: described.filter((c) => !(c.creator.kind === "staff" && c.creator.userId === viewer.userId)),
    yourCreditsWaiting: described.filter((c) => c.creator.kind === "staff" && c.creator.userId === viewer.userId),
    operations: operations.map((op) => ({
      operationId: op.id,
      kind: op.kind,
      paymentId: op.paymentId,
      transactionId: op.transactionId,
      claimedBy: op.claimedBy,
      createdAt: op.createdAt,
      attempts: op.attempts,
    })),
    operationCount,
  };
}

/** How many things wait for this viewer: the navigation's badge (null when they can act on none). */
export async function workQueueCount(viewer: StaffCaller, rights: QueueRights): Promise<number | null> {
  if (!rights.executeCredits && !rights.resolveOperations) return null;
  const forYou = rights.executeCredits
    ? (await creditsAwaitingSecondStaffUser()).filter((c) => c.createdByStaffUserId !== viewer.userId).length
    : 0;
  const pending = rights.resolveOperations ? await pendingOperationCount() : 0;
  return forYou + pending;
}

/** How many provider operations wait for an outcome (staff may resolve them). */
async function pendingOperationCount(): Promise<number> {
  const [{ pending }] = await readDb()
    .select({ pending: count() })
    .from(providerOperations)
    .where(eq(providerOperations.status, "PENDING"));
  return pending;
}
