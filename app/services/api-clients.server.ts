// API clients: the tenants' machine identities for /v1.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db, Tx } from "../../db/client";
import { apiClients, organisations, paymentMethods } from "../../db/schema";
import { generateApiToken, hashApiToken, tokenPrefix } from "../auth/api-token.server";
import { PAYMENT_TYPE_GROUP_OF, PAYMENT_TYPES } from "../domain/enums";

export type NewApiClient = {
  name: string;
  organisationId: number;
  privileged?: boolean;
  onBehalfOfAllowed?: boolean;
  /** Distribution channels the client sells through; default ["web"]. */
  channels?: string[];
  allowedRedirectPrefixes?: string[];
  /** Requests per minute before 429 (default 600). */
  rateLimitPerMinute?: number;
  /** Demo data passes a fixed token so it can be printed; otherwise a random one is made. */
  token?: string;
  clientId?: string;
};

export type CreatedApiClient = { clientId: string; organisationId: number; token: string };

/** Payment types whose methods let a credit go back through another group (cash desks etc.). */
const REIMBURSEMENT_OVERRIDE_TYPES = new Set(["CASH", "AGENT", "GIFTCARD", "ECARD"]);

/**
 * Creates the client (and its organisation when new) with an enabled payment method for every
 * payment type on each of its channels. The token is returned once and stored only hashed.
 */
export async function createApiClient(database: Db, input: NewApiClient): Promise<CreatedApiClient> {
  const token = input.token ?? generateApiToken();
  const channels = input.channels?.length ? [...new Set(input.channels)] : ["web"];
  const clientId = input.clientId ?? `${slug(input.name)}-${randomBytes(3).toString("hex")}`;
  await database.transaction(async (tx) => {
    await ensureOrganisation(tx, input.organisationId);
    await tx.insert(apiClients).values({
      clientId,
      name: input.name,
      organisationId: input.organisationId,
      privileged: input.privileged ?? false,
      onBehalfOfAllowed: input.onBehalfOfAllowed ?? false,
      distributionChannels: channels,
      allowedRedirectPrefixes: input.allowedRedirectPrefixes ?? [],
      ...(input.rateLimitPerMinute ? { rateLimitPerMinute: input.rateLimitPerMinute } : {}),
      tokenHash: hashApiToken(token),
      tokenPrefix: tokenPrefix(token),
    });
    await tx.insert(paymentMethods).values(
      channels.flatMap((channel) =>
        PAYMENT_TYPES.map((paymentType) => ({
          clientId,
          distributionChannelId: channel,
          paymentType,
          paymentTypeGroup: PAYMENT_TYPE_GROUP_OF[paymentType],
          allowsReimbursementOverride: REIMBURSEMENT_OVERRIDE_TYPES.has(paymentType),
        })),
      ),
    );
  });
  return { clientId, organisationId: input.organisationId, token };
}

async function ensureOrganisation(tx: Tx, organisationId: number): Promise<void> {
  const [existing] = await tx.select().from(organisations).where(eq(organisations.id, organisationId));
  if (!existing) {
    await tx
      .insert(organisations)
      .values({ id: organisationId, name: `Organisation ${organisationId}` })
      .onConflictDoNothing();
  }
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "client"
  );
}
