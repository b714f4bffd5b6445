// GET /v1/payment-agreements: a customer's agreements (customerNumber required, status
// repeatable). POST: register one; Vipps answers with a confirmation URL for the customer.
import { parseBody } from "../http/api/parse.server";
import { callerWithCustomer } from "../http/api/customer.server";
import { apiRoute, json } from "../http/api/route.server";
import { RegisterAgreementBody } from "../http/api/schemas-recurring";
import { agreementJson, parseCustomerListQuery } from "../http/api/serialize-recurring";
import { AGREEMENT_STATUSES, type AgreementStatus } from "../domain/enums";
import { publicOrigin } from "../http/hosted-page.server";
import { listAgreements, registerAgreement } from "../services/agreements/agreements.server";

const isStatus = (value: string): value is AgreementStatus => (AGREEMENT_STATUSES as readonly string[]).includes(value);

export const { loader, action } = apiRoute({
  GET: async ({ url, caller }) => {
    const query = parseCustomerListQuery(url, ["status"], (params, errors) => {
      const statuses = params.getAll("status");
      const unknown = statuses.filter((s) => !isStatus(s));
      if (unknown.length)
        errors.push({ field: "status", message: `must be one of ${AGREEMENT_STATUSES.join(", ")} (may repeat)` });
      return { statuses: statuses.filter(isStatus) };
    });
    return json((await listAgreements(caller, { ...query, origin: publicOrigin(url) })).map(agreementJson));
  },
  POST: async ({ body, caller, request, client, url }) => {
    const created = await registerAgreement(await callerWithCustomer({ request, client, caller }), {
      ...parseBody(RegisterAgreementBody, body),
      origin: publicOrigin(url),
    });
    return json(agreementJson(created), 201, { Location: `/v1/payment-agreements/${created.agreementId}` });
  },
});
