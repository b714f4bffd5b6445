// POST …/transactions/{transactionId}/wallet (ApplePay, GooglePay): authorized at once, or with
// redirectUrl a terminalUri for 3DS.
import { parseBody, pathId } from "../api/parse.server";
import { apiRoute, json } from "../api/route.server";
import { WalletBody, type WalletJson } from "../api/schemas-mobile";
import { publicOrigin } from "../services/mobile-payments.server";
import { registerWallet } from "../services/wallets.server";

export const { loader, action } = apiRoute({
  POST: async ({ params, caller, body, url }) => {
    const input = parseBody(WalletBody, body);
    const registered = await registerWallet(caller, pathId(params, "paymentId"), pathId(params, "transactionId"), input, publicOrigin(url));
    const response: WalletJson = registered;
    return json(response, 201);
  },
});
