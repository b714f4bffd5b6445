import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Outlet, useLoaderData } from "@remix-run/react";
import { requireStaffUser } from "../auth/session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaffUser(request);
  return json({ user });
}

export default function StaffLayout() {
  const { user } = useLoaderData<typeof loader>();
  return (
    <div>
      <header>
        {user.name} ({user.role})
        <Form method="post" action="/logout">
          <button type="submit">Log out</button>
        </Form>
      </header>
      <Outlet />
    </div>
  );
}
