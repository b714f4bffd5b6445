// How an API client acts for a logged-in customer ("Authorization_Code"; decision 009):
//
//   1. The client sends the customer's browser to /account/authorize?clientId=…&redirectUri=…
//      (redirectUri: one of the client's allowed prefixes). The customer logs in there, if not
//      already, and confirms; we redirect to redirectUri?code=<one-time code> (5 minutes).
//   2. The client exchanges the code, with its own bearer token, at POST /v1/customer-tokens and
//      gets a customer access token (60 minutes at most).
//   3. It sends that token as `Entur-Customer-Token` on the self-service routes. A token works
//      only for the client it was issued to, and only while the customer's session lives: logout
//      or the session's timeouts end it.
//
// Codes and tokens are random and stored as SHA-256 only (customer_tokens).
import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import { db } from "../../db/client";
import { customers, customerSessions, customerTokens } from "../../db/schema";
import { inTransaction } from "../platform/transaction.server";
import {
  absoluteCutoff,
  hashCustomerSecret,
  keepAlive,
  toCustomer,
  type Customer,
  type CustomerSession,
} from "./customer-session.server";

export const CUSTOMER_TOKEN_HEADER = "Entur-Customer-Token";

const CODE_MINUTES = 5;
const ACCESS_MINUTES = 60;
const TOKEN_PREFIX = "pdc_";
const MINUTE = 60_000;

/** A one-time code for `clientId` to exchange for an access token of this customer session. */
export async function issueAuthorizationCode(session: CustomerSession, clientId: string): Promise<string> {
  const code = randomBytes(32).toString("base64url");
  await db()
    .insert(customerTokens)
    .values({
      tokenHash: hashCustomerSecret(code),
      kind: "code",
      customerNumber: session.customer.customerNumber,
      clientId,
      sessionId: session.sessionId,
      expiresAt: new Date(Date.now() + CODE_MINUTES * MINUTE),
    });
  return code;
}

export type CustomerAccessToken = { customerToken: string; customerNumber: string; expiresAt: Date };

/**
 * Redeems a code once: the UPDATE … WHERE used_at IS NULL claims it, so two concurrent
 * exchanges cannot both succeed. Null for an unknown, used, expired or other client's code.
 */
export async function exchangeAuthorizationCode(clientId: string, code: string): Promise<CustomerAccessToken | null> {
  return inTransaction(async (tx) => {
    const now = new Date();
    const [claimed] = await tx
      .update(customerTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(customerTokens.tokenHash, hashCustomerSecret(code)),
          eq(customerTokens.kind, "code"),
          eq(customerTokens.clientId, clientId),
          isNull(customerTokens.usedAt),
          gt(customerTokens.expiresAt, now),
        ),
      )
      .returning();
    if (!claimed) return null;
    const [session] = await tx.select().from(customerSessions).where(eq(customerSessions.id, claimed.sessionId));
    if (!session || session.expiresAt <= now || session.createdAt <= absoluteCutoff(now.getTime())) return null;
    const customerToken = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
    const expiresAt = new Date(now.getTime() + ACCESS_MINUTES * MINUTE);
    await tx.insert(customerTokens).values({
      tokenHash: hashCustomerSecret(customerToken),
      kind: "access",
      customerNumber: claimed.customerNumber,
      clientId,
      sessionId: claimed.sessionId,
      expiresAt,
      createdAt: now,
    });
    return { customerToken, customerNumber: claimed.customerNumber, expiresAt };
  });
}

/** The customer an access token stands for, when `clientId` presents it; null otherwise. */
export async function customerForToken(clientId: string, token: string | null): Promise<Customer | null> {
  if (!token || !/^pdc_[A-Za-z0-9_-]{43}$/.test(token.trim())) return null;
  const now = new Date();
  const [row] = await db()
    .select({ session: customerSessions, customer: customers })
    .from(customerTokens)
    .innerJoin(customerSessions, eq(customerSessions.id, customerTokens.sessionId))
    .innerJoin(customers, eq(customers.customerNumber, customerTokens.customerNumber))
    .where(
      and(
        eq(customerTokens.tokenHash, hashCustomerSecret(token.trim())),
        eq(customerTokens.kind, "access"),
        eq(customerTokens.clientId, clientId),
        gt(customerTokens.expiresAt, now),
      ),
    );
  if (!row || !(await keepAlive(row.session, now.getTime()))) return null;
  return toCustomer(row.customer);
}
