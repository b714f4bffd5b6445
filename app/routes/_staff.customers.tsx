import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requirePermission } from "../auth/session.server";
import { NotBuiltYet } from "../components/NotBuiltYet";
import { staffArea } from "../components/staff-areas";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

const AREA = staffArea("/customers");

export const meta: MetaFunction = () => [{ title: `${AREA.label} · Paydesk` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "customer:read");
  return json(null);
}

export default function CustomersPlaceholder() {
  return <NotBuiltYet title={AREA.label} summary={AREA.summary} />;
}
