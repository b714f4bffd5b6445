// POST …/transactions/{transactionId}/wallet (ApplePay, GooglePay): authorized at once, or with
// redirectUrl a terminalUri for 3DS.
import { hostedPageInput } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { WalletBody, type WalletJson } from "../http/api/schemas-mobile";
import { registerWallet } from "../services/mobile/wallets.server";

export const { loader, action } = apiRoute({
  POST: async ({ params, caller, body, url }) => {
    const registered = await registerWallet(caller, hostedPageInput(WalletBody, { params, body, url }));
    const response: WalletJson = registered;
    return json(response, 201);
  },
});
