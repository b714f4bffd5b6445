// The customer a self-service request speaks for ("the user needs to be logged in"):
// the Entur-Customer-Token header, issued to this very client (app/auth/customer-token.server.ts).
// Without one, or with one that is unknown, expired, logged out or another client's: 401.
import { CUSTOMER_TOKEN_HEADER, customerForToken } from "../../auth/customer-token.server";
import type { Customer } from "../../auth/customer-session.server";
import type { ApiArgs } from "./route.server";
import { problem } from "./problem.server";

export async function requireCustomer({ request, client }: Pick<ApiArgs, "request" | "client">): Promise<Customer> {
  const customer = await customerForToken(client.clientId, request.headers.get(CUSTOMER_TOKEN_HEADER));
  if (customer) return customer;
  throw problem(
    401,
    `A logged-in customer is required: send the customer's token in ${CUSTOMER_TOKEN_HEADER} (see POST /v1/customer-tokens)`,
    {
      errors: [{ field: CUSTOMER_TOKEN_HEADER, message: "is missing, unknown or expired" }],
      headers: { "WWW-Authenticate": 'Bearer realm="paydesk-customer"' },
    },
  );
}

/**
 * The caller, speaking for the logged-in customer when the request carries a customer token
 * (routes where a privileged client names the customer and any other client acts for its own
 * logged-in customer, for recurring payments and agreements). A token that is sent but unknown is a 401.
 */
export async function callerWithCustomer(
  args: Pick<ApiArgs, "request" | "client" | "caller">,
): Promise<ApiArgs["caller"]> {
  if (args.client.privileged || !args.request.headers.has(CUSTOMER_TOKEN_HEADER)) return args.caller;
  const customer = await requireCustomer(args);
  return { ...args.caller, loggedInCustomer: customer.customerNumber };
}
