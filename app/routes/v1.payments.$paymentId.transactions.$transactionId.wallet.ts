// POST …/transactions/{transactionId}/wallet (ApplePay, GooglePay): authorized at once, or with
// redirectUrl a terminalUri for 3DS.
import { parseBody, pathId } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { WalletBody, type WalletJson } from "../http/api/schemas-mobile";
import { publicOrigin } from "../services/mobile/app-claims.server";
import { registerWallet } from "../services/mobile/wallets.server";

export const { loader, action } = apiRoute({
  POST: async ({ params, caller, body, url }) => {
    const input = parseBody(WalletBody, body);
    const registered = await registerWallet(
      caller,
      pathId(params, "paymentId"),
      pathId(params, "transactionId"),
      input,
      publicOrigin(url),
    );
    const response: WalletJson = registered;
    return json(response, 201);
  },
});
