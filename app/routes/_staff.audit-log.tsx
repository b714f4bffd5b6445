import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requirePermission } from "../auth/session.server";
import { NotBuiltYet } from "../components/NotBuiltYet";
import { staffArea } from "../components/staff-areas";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

const AREA = staffArea("/audit-log");

export const meta: MetaFunction = () => [{ title: `${AREA.label} · Paydesk` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "audit:read");
  return json(null);
}

export default function AuditLogPlaceholder() {
  return <NotBuiltYet title={AREA.label} summary={AREA.summary} />;
}
