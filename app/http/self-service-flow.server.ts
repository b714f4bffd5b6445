// What the two redirect pages of product self-service (/payment/invoice/pay and /paymentChange) share:
//   1. clientId, returnUrl and errorUrl first: an unknown client or a URL outside the client's
//      allowed prefixes is refused on a page of ours (400), never redirected to;
//   2. then the customer's login (to /account/login and back);
//   3. then the flow's id: missing or malformed goes to errorUrl?error=invalid_request;
//   4. the step itself; anything that breaks on our side goes to errorUrl?error=system_error.
import { json, redirect } from "@remix-run/node";
import type { AppLoadContext } from "@remix-run/node";
import { requireCustomerSession } from "../auth/customer-session.server";
import { errorTo } from "../domain/self-service";
import type { CustomerCaller } from "../domain/caller";
import type { Say } from "../domain/errors";
import {
  checkFlowTarget,
  checkoutErrorUrl,
  decideCheckout,
  type FlowStepInput,
  type FlowTarget,
  type Step,
} from "../services/self-service/pages.server";
import { decisionAction, publicOrigin, sandboxCaller } from "./hosted-page.server";
import { logger } from "../platform/logger.server";

/** `say`: the refusal by its locale key, for the page to say in the customer's language. */
export type Refused = { kind: "refused"; field: string; message: string; say: Say };
export type Shown<V> = { kind: "view"; view: V; clientName: string; customerName: string };

/** A positive whole-number id from the redirect page's query, or null. */
function idParameter(params: URLSearchParams, name: string): number | null {
  const raw = params.get(name) ?? "";
  return /^[1-9][0-9]{0,15}$/.test(raw) && Number(raw) <= Number.MAX_SAFE_INTEGER ? Number(raw) : null;
}

type Start = { customer: CustomerCaller; customerName: string; id: number; target: FlowTarget; clientName: string };

/** Steps 1–3: a refusal to show, or the flow to run; the login and errorUrl redirects are thrown. */
async function start(request: Request, context: AppLoadContext, idName: string): Promise<Start | Refused> {
  const url = new URL(request.url);
  const check = await checkFlowTarget({
    clientId: url.searchParams.get("clientId"),
    returnUrl: url.searchParams.get("returnUrl"),
    errorUrl: url.searchParams.get("errorUrl"),
  });
  if (!check.ok) {
    logger.warn("self-service redirect refused", {
      correlationId: context.correlationId,
      field: check.field,
      path: url.pathname,
    });
    return { kind: "refused", field: check.field, message: check.message, say: check.say };
  }
  const session = await requireCustomerSession(request);
  const id = idParameter(url.searchParams, idName);
  if (id === null) throw redirect(errorTo(check.target.errorUrl, "invalid_request"));
  const customer: CustomerCaller = {
    kind: "customer",
    customerNumber: session.customer.customerNumber,
    correlationId: context.correlationId,
  };
  return { customer, customerName: session.customer.name, id, target: check.target, clientName: check.clientName };
}

const refusal = (refused: Refused) =>
  json<Refused | Shown<never>>(refused, { status: 400, headers: { "Cache-Control": "no-store" } });

async function orErrorUrl(
  what: Start,
  idName: string,
  context: AppLoadContext,
  work: () => Promise<Response>,
): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Response) throw error;
    logger.error("self-service flow failed", {
      correlationId: context.correlationId,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    return redirect(errorTo(what.target.errorUrl, "system_error", { [idName]: what.id }));
  }
}

/** The loader: our page about the flow, or a redirect (back, errorUrl, login); refusals render as Refused. */
export async function flowLoader<V>(
  request: Request,
  context: AppLoadContext,
  idName: string,
  step: (customer: CustomerCaller, id: number, target: FlowTarget) => Promise<Step<V>>,
) {
  const started = await start(request, context, idName);
  if ("kind" in started) return refusal(started);
  return orErrorUrl(started, idName, context, async () => {
    const outcome = await step(started.customer, started.id, started.target);
    if ("redirect" in outcome) return redirect(outcome.redirect);
    return json<Refused | Shown<V>>(
      { kind: "view", view: outcome.view, clientName: started.clientName, customerName: started.customerName },
      { headers: { "Cache-Control": "no-store" } },
    );
  });
}

/** The action: "continue" (to the provider's page) or "cancel" (back with result=cancelled). */
export async function flowAction(
  request: Request,
  context: AppLoadContext,
  idName: string,
  go: (customer: CustomerCaller, id: number, step: FlowStepInput) => Promise<string>,
) {
  const started = await start(request, context, idName);
  if ("kind" in started) return refusal(started);
  const intent = (await request.formData()).get("intent") === "cancel" ? "cancel" : "continue";
  return orErrorUrl(started, idName, context, async () =>
    redirect(
      await go(started.customer, started.id, {
        target: started.target,
        origin: publicOrigin(new URL(request.url)),
        intent,
      }),
    ),
  );
}

/**
 * The action of the provider's page (/sandbox/checkout/{token}): the customer's decision. A
 * failure on our side sends the customer to errorUrl with error=system_error.
 */
export async function checkoutAction(request: Request, context: AppLoadContext, token: string, notFound: string) {
  try {
    return await decisionAction(
      request,
      ["approve", "cancel"] as const,
      "Choose Approve or Cancel.",
      notFound,
      (decision) => decideCheckout(sandboxCaller("checkout", context.correlationId), { token, decision }),
    );
  } catch (error) {
    if (error instanceof Response) throw error;
    logger.error("self-service checkout failed", {
      correlationId: context.correlationId,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      // Drizzle's error names the query; the driver's, beneath it, says what went wrong.
      cause: error instanceof Error && error.cause ? String(error.cause) : undefined,
    });
    const errorUrl = await checkoutErrorUrl(token);
    if (errorUrl) return redirect(errorUrl);
    throw error;
  }
}
