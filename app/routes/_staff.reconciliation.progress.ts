// How far the server has read an upload (its committed batches), by the token its page sent
// with it; the Reconciliation page asks every ~second while the file streams in.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requirePermission } from "../auth/session.server";
import { importProgress } from "../services/queries/reconciliation.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "reconciliation:import");
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const progress = /^[A-Za-z0-9-]{16,64}$/.test(token) ? await importProgress(token) : null;
  return json(progress ?? { status: "WAITING" as const, linesRead: 0, bytesRead: 0, importId: null });
}
