// Readiness: the database answers a query within 2 seconds.
import { sql } from "drizzle-orm";
import { db } from "../../db/client";
import { logger } from "../platform/logger.server";

export async function loader() {
  const headers = { "Content-Type": "application/json", "Cache-Control": "no-store" };
  try {
    await Promise.race([
      db().execute(sql`select 1`),
      new Promise((_, reject) => setTimeout(() => reject(new Error("database timeout")), 2000)),
    ]);
    return new Response(JSON.stringify({ status: "ready", database: "ok" }), { headers });
  } catch (error) {
    logger.warn("readiness check failed", { error: String(error) });
    return new Response(JSON.stringify({ status: "unavailable", database: "unreachable" }), { status: 503, headers });
  }
}
