// POST /v1/customer-tokens: the client exchanges the one-time code that /account/authorize sent
// to its redirectUri for a customer access token (decision 009). A code works once, for 5
// minutes, for the client it was issued to; anything else is a 400 naming `code`.
import { parseBody } from "../http/api/parse.server";
import { apiRoute, invalidInput, json } from "../http/api/route.server";
import { CustomerTokenBody } from "../http/api/schemas-self-service";
import { exchangeAuthorizationCode } from "../auth/customer-token.server";

export const { loader, action } = apiRoute({
  POST: async ({ client, body }) => {
    const { code } = parseBody(CustomerTokenBody, body);
    const token = await exchangeAuthorizationCode(client.clientId, code);
    if (!token)
      throw invalidInput([{ field: "code", message: "is unknown, used already, expired or issued to another client" }]);
    return json(
      {
        customerToken: token.customerToken,
        customerNumber: token.customerNumber,
        expiresAt: token.expiresAt.toISOString(),
      },
      201,
    );
  },
});
