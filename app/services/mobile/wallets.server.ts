// ApplePay / GooglePay (POST …/wallet): registers a wallet payment on a CREATED
// PAYMENTCARD transaction. Without redirectUrl the (sandbox) PSP decrypts the token and
// authorizes at once: AUTHORIZED with an AUTHORIZE entry, or a decline (422 with errorReason)
// that changes nothing. With redirectUrl the answer carries a terminalUri, the 3DS page, and the
// transaction is INITIATED until the customer completes it there.
//
// The token (paymentData) is read once, in memory: of it only the card's last 4 digits and its
// network are kept. Nothing else of it is stored or logged.
import type { PaymentType } from "../../domain/enums";
import { conflict } from "../../domain/errors";
import { formatAmount, money } from "../../domain/money";
import type { WalletCard, WalletProviderName } from "../../providers/mobile";
import { mobileProvider } from "../../providers/index.server";
import {
  askProvider,
  countOutcome,
  declinedError,
  inAuthorizingTransaction,
  outcomeKeyOf,
} from "../../platform/outcomes.server";
import type { ClientCaller, SystemCaller } from "../../domain/caller";
import { lockTransaction, requireActive } from "../../platform/locks.server";
import { terminalExpiresAt, terminalState, type TerminalState } from "../../domain/terminal";
import {
  authorizeLocked,
  decideOnPage,
  findSession,
  insertSessionLocked,
  merchantName,
  requireAllowedRedirect,
  supersedeSessionsLocked,
  type PageDecision,
} from "./hosted-pages.server";
import { initiateLocked } from "../transactions/transactions.server";

export type WalletInput = {
  paymentId: number;
  transactionId: number;
  /** Where the 3-D Secure page is served (the public origin). */
  origin: string;
  walletProvider: WalletProviderName;
  paymentData: Record<string, unknown>;
  redirectUrl?: string;
};

export type WalletRegistration = {
  paymentId: number;
  transactionId: number;
  walletProvider: WalletProviderName;
  terminalUri?: string;
};

const NETWORKS: Record<string, PaymentType> = {
  visa: "VISA",
  mastercard: "MASTERCARD",
  amex: "AMEX",
  americanexpress: "AMEX",
};

function pick(source: unknown, path: string[]): unknown {
  let node = source;
  for (const key of path) {
    if (!node || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** The last 4 digits a text ends with ("Visa 0326" → "0326"); null unless it has at least 4. */
function lastFour(value: unknown): string | null {
  if (typeof value !== "string" && typeof value !== "number") return null;
  const digits = String(value).replace(/[^0-9]/g, "");
  return digits.length >= 4 ? digits.slice(-4) : null;
}

/**
 * What a wallet token tells about its card: last 4 digits from `displayName`/`last4` (top level,
 * Apple's `paymentMethod`, or Google's `paymentMethodData.info.cardDetails`) and the network.
 */
function readWalletCard(paymentData: Record<string, unknown>): WalletCard {
  const last4Candidates = [
    pick(paymentData, ["last4"]),
    pick(paymentData, ["displayName"]),
    pick(paymentData, ["paymentMethod", "last4"]),
    pick(paymentData, ["paymentMethod", "displayName"]),
    pick(paymentData, ["paymentMethodData", "info", "cardDetails"]),
  ];
  const networkCandidates = [
    pick(paymentData, ["network"]),
    pick(paymentData, ["paymentMethod", "network"]),
    pick(paymentData, ["paymentMethodData", "info", "cardNetwork"]),
  ];
  const last4 = last4Candidates.map(lastFour).find((value) => value !== null) ?? null;
  const network =
    networkCandidates.find((value): value is string => typeof value === "string" && value.length <= 40) ?? null;
  return { last4, network };
}

function paymentTypeOf(network: string | null): PaymentType | null {
  if (!network) return null;
  return NETWORKS[network.toLowerCase().replace(/[^a-z]/g, "")] ?? null;
}

/**
 * POST …/wallet: without redirectUrl the wallet payment is authorized at once; with it, the answer
 * carries the 3-D Secure page (terminalUri) and the transaction is INITIATED.
 * @throws invalid    redirectUrl is not one of the client's prefixes
 * @throws not_found  the payment or transaction is unknown or another organisation's
 * @throws conflict   the payment is deactivated; the transaction is not a CREATED PAYMENTCARD one, or an import
 * @throws declined   the provider declined the wallet payment
 */
export async function registerWallet(caller: ClientCaller, input: WalletInput): Promise<WalletRegistration> {
  const { paymentId, transactionId, origin } = input;
  if (input.redirectUrl) requireAllowedRedirect(caller, input.redirectUrl);
  const card = readWalletCard(input.paymentData);
  return inAuthorizingTransaction(async (tx) => {
    const { payment, transaction } = await lockTransaction(tx, caller, paymentId, transactionId);
    requireActive(payment);
    if (transaction.paymentTypeGroup !== "PAYMENTCARD") {
      throw conflict(`A wallet payment needs a PAYMENTCARD transaction; this one is ${transaction.paymentTypeGroup}`);
    }
    if (transaction.status !== "CREATED")
      throw conflict(`The transaction is ${transaction.status}; a wallet payment needs a CREATED one`);
    if (transaction.isImport) throw conflict("An import transaction cannot be paid with a wallet");
    const at = new Date();
    const paymentType = transaction.paymentType ?? paymentTypeOf(card.network);

    if (input.redirectUrl) {
      await supersedeSessionsLocked(tx, transactionId, at);
      const session = await insertSessionLocked(tx, {
        kind: "wallet",
        paymentId,
        transactionId,
        redirectUrl: input.redirectUrl,
        options: {
          walletProvider: input.walletProvider,
          last4: card.last4,
          network: card.network,
          amount: formatAmount(money(transaction.amount)),
          currency: transaction.currency,
        },
        expiresAt: terminalExpiresAt(at),
      });
      await initiateLocked(tx, caller, transaction, at);
      return {
        paymentId,
        transactionId,
        walletProvider: input.walletProvider,
        terminalUri: `${origin}/sandbox/wallet/${session.token}`,
      };
    }

    const key = outcomeKeyOf(payment, transaction);
    const outcome = await askProvider(key, () =>
      mobileProvider().authorizeWallet({
        reference: `wallet:${transactionId}`,
        walletProvider: input.walletProvider,
        card,
        amount: money(transaction.amount),
        currency: transaction.currency,
      }),
    );
    if (!outcome.ok) throw declinedError(key, outcome);
    await authorizeLocked(tx, caller, payment, transaction, at, {
      cardNumber: card.last4,
      rrn: outcome.rrn,
      paymentType,
    });
    return { paymentId, transactionId, walletProvider: input.walletProvider };
  });
}

export type WalletPageView = {
  state: TerminalState;
  outcome: string | null;
  walletProvider: string;
  last4: string | null;
  amount: string;
  currency: string;
  /** The organisation the customer pays. */
  merchant: string;
};

/** GET /sandbox/wallet/{token}: what the page shows; null for an unknown token. */
export async function walletPage(token: string): Promise<WalletPageView | null> {
  const session = await findSession(token, "wallet");
  if (!session) return null;
  const o = session.options as Record<string, string | null>;
  return {
    state: terminalState(session),
    outcome: session.outcome,
    walletProvider: String(o.walletProvider),
    last4: o.last4 ?? null,
    amount: String(o.amount),
    currency: String(o.currency),
    merchant: await merchantName(session.paymentId),
  };
}

/**
 * The customer completes (or cancels) the 3DS challenge of a wallet payment. Null: no such page.
 * Nothing is thrown: a page that is over or a declined payment is a decision's state.
 */
export async function decideWallet3ds(
  pageCaller: SystemCaller,
  { token, decision }: { token: string; decision: "approve" | "reject" },
): Promise<PageDecision | null> {
  return decideOnPage(pageCaller, token, "wallet", async ({ tx, caller, payment, transaction, session, at }) => {
    if (decision === "reject") return { result: "rejected", message: "Authentication cancelled. Nothing was paid." };
    const o = session.options as Record<string, string | null>;
    const card: WalletCard = { last4: o.last4 ?? null, network: o.network ?? null };
    const key = outcomeKeyOf(payment, transaction);
    const outcome = await askProvider(key, () =>
      mobileProvider().authorizeWallet({
        reference: `wallet:${transaction.transactionId}`,
        walletProvider: o.walletProvider as WalletProviderName,
        card,
        amount: money(transaction.amount),
        currency: transaction.currency,
      }),
    );
    if (!outcome.ok) {
      await countOutcome(tx, key, "declined", at);
      return { result: "failed", message: `The payment was declined: ${outcome.reason}.` };
    }
    await authorizeLocked(
      tx,
      caller,
      payment,
      transaction,
      at,
      { cardNumber: card.last4, rrn: outcome.rrn, paymentType: transaction.paymentType ?? paymentTypeOf(card.network) },
      session.callbackUrl,
    );
    return { result: "approved", message: "Payment authenticated and authorized." };
  });
}
