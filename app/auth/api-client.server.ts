// Bearer-token authentication of /v1 API clients. Tokens are looked up by their SHA-256.
import { and, eq, isNull } from "drizzle-orm";
import { db } from "../../db/client";
import { apiClients } from "../../db/schema";
import { hashApiToken } from "./api-token.server";

export type ApiClient = typeof apiClients.$inferSelect;

export function readBearerToken(authorization: string | null): string | null {
  if (!authorization) return null;
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/=-]{10,200})[ ]*$/i.exec(authorization);
  return match ? match[1] : null;
}

export async function authenticateApiClient(authorization: string | null): Promise<ApiClient | null> {
  const token = readBearerToken(authorization);
  if (!token) return null;
  const [client] = await db()
    .select()
    .from(apiClients)
    .where(and(eq(apiClients.tokenHash, hashApiToken(token)), isNull(apiClients.disabledAt)));
  return client ?? null;
}
