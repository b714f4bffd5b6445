// Readiness: the database answers a query within 2 seconds.
import { checkReadiness } from "../services/queries/readiness.server";

export async function loader() {
  const headers = { "Content-Type": "application/json", "Cache-Control": "no-store" };
  const { database } = await checkReadiness();
  return database === "ok"
    ? new Response(JSON.stringify({ status: "ready", database: "ok" }), { headers })
    : new Response(JSON.stringify({ status: "unavailable", database: "unreachable" }), { status: 503, headers });
}
