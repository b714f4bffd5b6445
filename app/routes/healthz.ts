// Liveness: the process answers. No database call, so a slow database does not get us killed.
export function loader() {
  return new Response(JSON.stringify({ status: "ok" }), {
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}
