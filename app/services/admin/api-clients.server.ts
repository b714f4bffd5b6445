// API clients: the tenants' machine identities for /v1. Created by the CLI, the demo seed and
// admins in the back-office; admins also rotate tokens, disable clients and change their
// channels and redirect prefixes. A token is returned once and stored only as its hash; the
// audit log gets its prefix at most.
import { randomBytes } from "node:crypto";
import { asc, eq, ilike, or, type SQL } from "drizzle-orm";
import type { Tx } from "../../../db/client";
import { apiClients, organisations, paymentMethods } from "../../../db/schema";
import { forgetCachedApiClients } from "../../auth/api-client.server";
import { generateApiToken, hashApiToken, tokenPrefix } from "../../auth/api-token.server";
import { isCleanText } from "../../domain/text";
import { CARD_NUMBER_MESSAGE, containsCardNumber } from "../../domain/card-number";
import { checkClientSettings } from "../../domain/api-clients";
import { PAYMENT_TYPE_GROUP_OF, PAYMENT_TYPES } from "../../domain/enums";
import { conflict, invalid, notFound } from "../../domain/errors";
import { auditStaffAction } from "../../platform/audit.server";
import type { Caller } from "../../domain/caller";
import { db } from "../../platform/db.server";
import { inTransaction } from "../../platform/transaction.server";

export type NewApiClient = {
  name: string;
  organisationId: number;
  /** The organisation's name when it is new; when it exists already the name must be its own. */
  organisationName?: string;
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

const MAX_NAME_LENGTH = 200;

function checkName(field: string, name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw invalid(field, "is required", { key: "errors.form.required" });
  if (trimmed.length > MAX_NAME_LENGTH)
    throw invalid(field, `must be at most ${MAX_NAME_LENGTH} characters`, {
      key: "errors.form.tooLong",
      values: { max: MAX_NAME_LENGTH },
    });
  if (!isCleanText(trimmed))
    throw invalid(field, "contains characters that are not allowed", { key: "errors.form.notClean" });
  // Also for the CLI, which reaches this without a form's schema.
  if (containsCardNumber(trimmed)) throw invalid(field, CARD_NUMBER_MESSAGE, { key: "errors.form.cardNumber" });
  return trimmed;
}

/**
 * Creates the client (and its organisation when new) with an enabled payment method for every
 * payment type on each of its channels. The token is returned once and stored only hashed.
 * A staff caller gets an audit entry in the same transaction (the CLI and the demo seed call
 * it as the system).
 * @throws invalid  a name is empty, too long or not clean text; the channels or redirect
 *                  prefixes break the client settings rules; organisationName is not the
 *                  existing organisation's name
 */
export async function createApiClient(caller: Caller, input: NewApiClient): Promise<CreatedApiClient> {
  const name = checkName("name", input.name);
  const organisationName =
    input.organisationName === undefined ? undefined : checkName("organisationName", input.organisationName);
  // No channels given (the CLI without --channels) means web; an empty list is refused below.
  const channels = input.channels === undefined ? ["web"] : [...new Set(input.channels)];
  const allowedRedirectPrefixes = [...new Set(input.allowedRedirectPrefixes ?? [])];
  checkClientSettings({ channels, allowedRedirectPrefixes });
  const token = input.token ?? generateApiToken();
  const clientId = input.clientId ?? `${slug(name)}-${randomBytes(3).toString("hex")}`;
  await inTransaction(async (tx) => {
    const organisation = await ensureOrganisation(tx, input.organisationId, organisationName);
    const [client] = await tx
      .insert(apiClients)
      .values({
        clientId,
        name,
        organisationId: input.organisationId,
        privileged: input.privileged ?? false,
        onBehalfOfAllowed: input.onBehalfOfAllowed ?? false,
        distributionChannels: channels,
        allowedRedirectPrefixes,
        ...(input.rateLimitPerMinute ? { rateLimitPerMinute: input.rateLimitPerMinute } : {}),
        tokenHash: hashApiToken(token),
        tokenPrefix: tokenPrefix(token),
      })
      .returning();
    await insertMethods(tx, clientId, channels);
    await auditStaffAction(tx, caller, {
      action: "api_client.create",
      entityType: "api_client",
      entityId: clientId,
      before: null,
      after: { ...auditedSettings(client), organisation },
    });
  });
  return { clientId, organisationId: input.organisationId, token };
}

/** An enabled method for every payment type on each channel; existing rows keep their state. */
async function insertMethods(tx: Tx, clientId: string, channels: readonly string[]): Promise<void> {
  if (!channels.length) return;
  await tx
    .insert(paymentMethods)
    .values(
      channels.flatMap((channel) =>
        PAYMENT_TYPES.map((paymentType) => ({
          clientId,
          distributionChannelId: channel,
          paymentType,
          paymentTypeGroup: PAYMENT_TYPE_GROUP_OF[paymentType],
          allowsReimbursementOverride: REIMBURSEMENT_OVERRIDE_TYPES.has(paymentType),
        })),
      ),
    )
    .onConflictDoNothing();
}

async function ensureOrganisation(
  tx: Tx,
  organisationId: number,
  name: string | undefined,
): Promise<{ id: number; name: string; created: boolean }> {
  const [existing] = await tx.select().from(organisations).where(eq(organisations.id, organisationId));
  if (existing) {
    if (name !== undefined && name !== existing.name) {
      throw invalid(
        "organisationName",
        `does not match organisation ${organisationId}, which exists already as "${existing.name}"`,
        { key: "errors.apiClient.organisationNameDiffers", values: { organisationId, name: existing.name } },
      );
    }
    return { id: existing.id, name: existing.name, created: false };
  }
  const chosen = name ?? `Organisation ${organisationId}`;
  const [inserted] = await tx
    .insert(organisations)
    .values({ id: organisationId, name: chosen })
    .onConflictDoNothing()
    .returning();
  // Created by a concurrent request in the meantime: check the name against that one.
  if (!inserted) return ensureOrganisation(tx, organisationId, name);
  return { id: organisationId, name: chosen, created: true };
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

// ---------------------------------------------------------------- the back-office

type ApiClientRow = typeof apiClients.$inferSelect;

/** What the audit log keeps of a client: its settings and token prefix, never the token or its hash. */
function auditedSettings(client: ApiClientRow) {
  return {
    name: client.name,
    organisationId: client.organisationId,
    privileged: client.privileged,
    onBehalfOfAllowed: client.onBehalfOfAllowed,
    channels: client.distributionChannels,
    allowedRedirectPrefixes: client.allowedRedirectPrefixes,
    tokenPrefix: client.tokenPrefix,
    disabled: client.disabledAt !== null,
  };
}

export type ApiClientListItem = {
  clientId: string;
  name: string;
  organisationId: number;
  organisationName: string;
  privileged: boolean;
  onBehalfOfAllowed: boolean;
  channels: string[];
  allowedRedirectPrefixes: string[];
  tokenPrefix: string;
  disabledAt: Date | null;
  createdAt: Date;
};

/** Every client (there are tens, not thousands), optionally those whose id or name contains `q`. */
export async function listApiClients(_caller: Caller, input: { q?: string | null } = {}): Promise<ApiClientListItem[]> {
  const q = input.q?.trim();
  const where: SQL | undefined = q
    ? or(
        eq(apiClients.clientId, q),
        ilike(apiClients.name, `%${escapeLike(q)}%`),
        ilike(apiClients.clientId, `%${escapeLike(q)}%`),
      )
    : undefined;
  return db()
    .select({
      clientId: apiClients.clientId,
      name: apiClients.name,
      organisationId: apiClients.organisationId,
      organisationName: organisations.name,
      privileged: apiClients.privileged,
      onBehalfOfAllowed: apiClients.onBehalfOfAllowed,
      channels: apiClients.distributionChannels,
      allowedRedirectPrefixes: apiClients.allowedRedirectPrefixes,
      tokenPrefix: apiClients.tokenPrefix,
      disabledAt: apiClients.disabledAt,
      createdAt: apiClients.createdAt,
    })
    .from(apiClients)
    .innerJoin(organisations, eq(organisations.id, apiClients.organisationId))
    .where(where)
    .orderBy(asc(apiClients.name), asc(apiClients.clientId));
}

/** `text` for a LIKE pattern that matches it literally (%, _ and \ escaped). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** Every organisation, by name, for the new client form. */
export async function listOrganisations(_caller: Caller): Promise<{ id: number; name: string }[]> {
  return db()
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .orderBy(asc(organisations.name));
}

async function lockClient(tx: Tx, clientId: string): Promise<ApiClientRow> {
  const [client] = await tx.select().from(apiClients).where(eq(apiClients.clientId, clientId)).for("update");
  if (!client) throw notFound("API client", clientId);
  return client;
}

/**
 * A new token for the client; the old one stops working when this commits. Shown once.
 * @throws not_found  there is no such client
 */
export async function rotateApiClientToken(
  caller: Caller,
  input: { clientId: string },
): Promise<{ clientId: string; token: string }> {
  const { clientId } = input;
  const rotated = await inTransaction(async (tx) => {
    const client = await lockClient(tx, clientId);
    const token = generateApiToken();
    await tx
      .update(apiClients)
      .set({ tokenHash: hashApiToken(token), tokenPrefix: tokenPrefix(token), updatedAt: new Date() })
      .where(eq(apiClients.clientId, clientId));
    await auditStaffAction(tx, caller, {
      action: "api_client.rotate_token",
      entityType: "api_client",
      entityId: clientId,
      before: { tokenPrefix: client.tokenPrefix },
      after: { tokenPrefix: tokenPrefix(token) },
    });
    return { clientId, token };
  });
  forgetCachedApiClients(); // the old token stops working here at once (the trigger tells other processes)
  return rotated;
}

/**
 * Disables (every request with its token gets 401 at once) or re-enables a client.
 * @throws not_found  there is no such client
 * @throws conflict   the client is disabled (or enabled) already
 */
export async function setApiClientDisabled(
  caller: Caller,
  input: { clientId: string; disabled: boolean },
): Promise<void> {
  const { clientId, disabled } = input;
  await inTransaction(async (tx) => {
    const client = await lockClient(tx, clientId);
    if ((client.disabledAt !== null) === disabled) {
      throw conflict(`API client ${clientId} is ${disabled ? "disabled" : "enabled"} already`, undefined, {
        key: disabled ? "errors.apiClient.disabledAlready" : "errors.apiClient.enabledAlready",
        values: { clientId },
      });
    }
    const disabledAt = disabled ? new Date() : null;
    await tx.update(apiClients).set({ disabledAt, updatedAt: new Date() }).where(eq(apiClients.clientId, clientId));
    await auditStaffAction(tx, caller, {
      action: disabled ? "api_client.disable" : "api_client.enable",
      entityType: "api_client",
      entityId: clientId,
      before: { disabled: !disabled },
      after: { disabled },
    });
  });
  forgetCachedApiClients();
}

/**
 * New channels and redirect prefixes. A channel that is added gets an enabled method for every
 * payment type; one that is removed keeps its methods (and their enabled state) for when it
 * comes back, but the API refuses the channel while it is not the client's.
 * @throws invalid    the channels or redirect prefixes break the client settings rules
 * @throws not_found  there is no such client
 */
export async function updateApiClientSettings(
  caller: Caller,
  input: { clientId: string; channels: string[]; allowedRedirectPrefixes: string[] },
): Promise<void> {
  const { clientId } = input;
  const channels = [...new Set(input.channels)];
  const allowedRedirectPrefixes = [...new Set(input.allowedRedirectPrefixes)];
  checkClientSettings({ channels, allowedRedirectPrefixes });
  await inTransaction(async (tx) => {
    const client = await lockClient(tx, clientId);
    const [updated] = await tx
      .update(apiClients)
      .set({ distributionChannels: channels, allowedRedirectPrefixes, updatedAt: new Date() })
      .where(eq(apiClients.clientId, clientId))
      .returning();
    await insertMethods(
      tx,
      clientId,
      channels.filter((channel) => !client.distributionChannels.includes(channel)),
    );
    await auditStaffAction(tx, caller, {
      action: "api_client.update",
      entityType: "api_client",
      entityId: clientId,
      before: { channels: client.distributionChannels, allowedRedirectPrefixes: client.allowedRedirectPrefixes },
      after: { channels: updated.distributionChannels, allowedRedirectPrefixes: updated.allowedRedirectPrefixes },
    });
  });
  forgetCachedApiClients();
}
