// Readiness: migrations applied and a write committed, each within 2 seconds (503 otherwise).
import { checkReadiness } from "../services/admin/readiness.server";

export async function loader() {
  const headers = { "Content-Type": "application/json", "Cache-Control": "no-store" };
  const { ready, database, migrations } = await checkReadiness();
  return new Response(JSON.stringify({ status: ready ? "ready" : "unavailable", database, migrations }), {
    status: ready ? 200 : 503,
    headers: ready ? headers : { ...headers, "Retry-After": "5" },
  });
}
