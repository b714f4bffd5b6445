// POST …/transactions/{transactionId}/wallet (ApplePay, GooglePay): authorized at once, or with
// redirectUrl a terminalUri for 3DS.
import { parseBody, transactionPath } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { WalletBody, type WalletJson } from "../http/api/schemas-mobile";
import { publicOrigin } from "../http/hosted-page.server";
import { registerWallet } from "../services/mobile/wallets.server";

export const { loader, action } = apiRoute({
  POST: async ({ params, caller, body, url }) => {
    const registered = await registerWallet(caller, {
      ...parseBody(WalletBody, body),
      ...transactionPath(params),
      origin: publicOrigin(url),
    });
    const response: WalletJson = registered;
    return json(response, 201);
  },
});
