// Bearer-token authentication of /v1 API clients. Tokens are looked up by their SHA-256.
//
// A found client is kept in memory, so that authenticating a request is no statement of its own
// (it was one of a capture's round trips). Any change to api_clients, whoever makes it, notifies
// `paydesk_api_clients` from a trigger (migration 0016), and every process drops its cache on
// that at once: a rotated token or a disabled client stops working at the next request. While a
// process is not listening (before LISTEN has started) it caches nothing; after its listening
// connection reconnects it drops everything, since what was notified meanwhile is lost; and an
// entry is looked up again after CACHE_MS whatever happens (docs/decisions/038).
import { and, eq, isNull } from "drizzle-orm";
import { getDatabase, type DatabaseHandle } from "../../db/client";
import { apiClients } from "../../db/schema";
import { logger } from "../platform/logger.server";
import { hashApiToken } from "./api-token.server";

export type ApiClient = typeof apiClients.$inferSelect;

const CHANNEL = "paydesk_api_clients";
const CACHE_MS = 30_000;

type Cache = {
  entries: Map<string, { client: ApiClient; at: number }>;
  listening: boolean;
  /** Counts the drops: a lookup that started before one must not store what it read. */
  generation: number;
};

/** One cache per open database (the tests open several in one process). */
const caches = new WeakMap<DatabaseHandle, Cache>();

function cacheOf(handle: DatabaseHandle): Cache {
  const cache = caches.get(handle);
  if (cache) return cache;
  const created: Cache = { entries: new Map(), listening: false, generation: 0 };
  caches.set(handle, created);
  const drop = () => {
    created.entries.clear();
    created.generation += 1;
  };
  handle
    .listen(CHANNEL, drop, () => {
      drop();
      created.listening = true;
    })
    .catch((error: unknown) => logger.warn("API clients are not cached: LISTEN failed", { error: String(error) }));
  return created;
}

/** Drops this process's cached clients at once (a use-case that changed one; the trigger tells the others). */
export function forgetCachedApiClients(): void {
  const cache = caches.get(getDatabase());
  if (!cache) return;
  cache.entries.clear();
  cache.generation += 1;
}

export function readBearerToken(authorization: string | null): string | null {
  if (!authorization) return null;
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/=-]{10,200})[ ]*$/i.exec(authorization);
  return match ? match[1] : null;
}

export async function authenticateApiClient(authorization: string | null): Promise<ApiClient | null> {
  const token = readBearerToken(authorization);
  if (!token) return null;
  const tokenHash = hashApiToken(token);
  const handle = getDatabase();
  const cache = cacheOf(handle);
  const now = Date.now();
  const cached = cache.entries.get(tokenHash);
  if (cached && now - cached.at < CACHE_MS) return cached.client;
  const generation = cache.generation;
  const [client] = await handle.db
    .select()
    .from(apiClients)
    .where(and(eq(apiClients.tokenHash, tokenHash), isNull(apiClients.disabledAt)));
  if (!client) return null;
  if (cache.listening && cache.generation === generation) cache.entries.set(tokenHash, { client, at: now });
  return client;
}
