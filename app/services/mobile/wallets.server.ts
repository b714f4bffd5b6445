// ApplePay / GooglePay (POST …/wallet): registers a wallet payment on a CREATED
// PAYMENTCARD transaction. Without redirectUrl the (sandbox) PSP decrypts the token and
// authorizes at once (claim → ask → settle): AUTHORIZED with an AUTHORIZE entry, or a decline
// (422 with errorReason) that changes nothing. With redirectUrl the answer carries a terminalUri, the 3DS page, and the
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
  newReference,
  requireSucceeded,
  runProviderOperation,
  type ClaimPlan,
  type OperationHandler,
  onTransaction,
  moneyAskOf,
} from "../../platform/provider-operations.server";
import type { ClientCaller, SystemCaller } from "../../domain/caller";
import { requireActive } from "../../platform/locks.server";
import { terminalState, type TerminalState } from "../../domain/terminal";
import {
  authorizeFromPage,
  decideOnPage,
  findSession,
  merchantName,
  openPageLocked,
  requireAllowedRedirect,
  settleOnPage,
  type PageDecision,
} from "./hosted-pages.server";

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
 * POST …/wallet: without redirectUrl the wallet payment is authorized at once (claim → ask →
 * settle: WALLET_AUTHORIZE); with it, the answer carries the 3-D Secure page (terminalUri) and the
 * transaction is INITIATED.
 * @throws invalid      redirectUrl is not one of the client's prefixes
 * @throws not_found    the payment or transaction is unknown or another organisation's
 * @throws conflict     the payment is deactivated; the transaction is not a CREATED PAYMENTCARD one, or an
 *                      import; another operation on it is in progress (RESOURCE_BUSY)
 * @throws declined     the provider declined the wallet payment
 * @throws unavailable  the provider did not answer: the authorization is in progress and settles later
 */
export async function registerWallet(caller: ClientCaller, input: WalletInput): Promise<WalletRegistration> {
  const { paymentId, transactionId, origin } = input;
  if (input.redirectUrl) requireAllowedRedirect(caller, input.redirectUrl);
  const card = readWalletCard(input.paymentData);
  const registered = { paymentId, transactionId, walletProvider: input.walletProvider };
  const outcome = await runProviderOperation(caller, walletAuthorization, {
    kind: "WALLET_AUTHORIZE",
    ...onTransaction(caller, paymentId, transactionId),
    plan: async (tx, { payment, transaction }, ofThisRequest): Promise<ClaimPlan<WalletRegistration>> => {
      if (ofThisRequest) return { resume: ofThisRequest };
      requireActive(payment);
      if (transaction.paymentTypeGroup !== "PAYMENTCARD") {
        throw conflict(`A wallet payment needs a PAYMENTCARD transaction; this one is ${transaction.paymentTypeGroup}`);
      }
      if (transaction.status !== "CREATED")
        throw conflict(`The transaction is ${transaction.status}; a wallet payment needs a CREATED one`);
      if (transaction.isImport) throw conflict("An import transaction cannot be paid with a wallet");
      if (input.redirectUrl) {
        const session = await openPageLocked(tx, caller, transaction, new Date(), {
          kind: "wallet",
          redirectUrl: input.redirectUrl,
          options: {
            walletProvider: input.walletProvider,
            last4: card.last4,
            network: card.network,
            amount: formatAmount(money(transaction.amount)),
            currency: transaction.currency,
          },
        });
        return { done: { ...registered, terminalUri: `${origin}/sandbox/wallet/${session.token}` } };
      }
      return {
        claim: {
          reference: newReference("WALLET_AUTHORIZE", transactionId),
          request: walletRequest(input.walletProvider, card, transaction),
        },
      };
    },
  });
  if (outcome.kind === "done") return outcome.value;
  requireSucceeded(outcome.op);
  return registered;
}

/** What a wallet authorization asks, as its operation keeps it: the token's last 4 and network, never the token. */
function walletRequest(
  walletProvider: WalletProviderName,
  card: WalletCard,
  transaction: { amount: string; currency: string; paymentType: string | null },
) {
  return {
    walletProvider,
    last4: card.last4,
    network: card.network,
    amount: transaction.amount,
    currency: transaction.currency,
    paymentType: transaction.paymentType ?? paymentTypeOf(card.network),
  };
}

/** WALLET_AUTHORIZE: the PSP authorizes the card behind a wallet token; approved, the transaction is AUTHORIZED. */
export const walletAuthorization: OperationHandler = {
  send: (op) => {
    const request = op.request as ReturnType<typeof walletRequest>;
    return mobileProvider().authorizeWallet({
      ...moneyAskOf(op),
      walletProvider: request.walletProvider,
      card: { last4: request.last4, network: request.network },
    });
  },
  settle: (context, answer) =>
    settleOnPage(context, answer, async (session) => {
      const request = context.op.request as ReturnType<typeof walletRequest>;
      const rrn = (answer.ok && answer.rrn) || null;
      await authorizeFromPage(context, session, { cardNumber: request.last4, rrn, paymentType: request.paymentType });
    }),
};

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
 * The customer completes (or cancels) the 3DS challenge of a wallet payment: completing it asks
 * the PSP (WALLET_AUTHORIZE). Null: no such page. Nothing is thrown: a page that is over, a
 * declined payment or one still in progress is a decision's state.
 */
export async function decideWallet3ds(
  pageCaller: SystemCaller,
  { token, decision }: { token: string; decision: "approve" | "reject" },
): Promise<PageDecision | null> {
  return decideOnPage(
    pageCaller,
    token,
    "wallet",
    { WALLET_AUTHORIZE: walletAuthorization },
    async ({ transaction, session }) => {
      if (decision === "reject") return { result: "rejected", message: "Authentication cancelled. Nothing was paid." };
      const o = session.options as Record<string, string | null>;
      const card: WalletCard = { last4: o.last4 ?? null, network: o.network ?? null };
      return {
        ask: {
          kind: "WALLET_AUTHORIZE",
          reference: newReference("WALLET_AUTHORIZE", transaction.transactionId),
          request: walletRequest(o.walletProvider as WalletProviderName, card, transaction),
        },
        message: (answer) =>
          answer.ok ? "Payment authenticated and authorized." : `The payment was declined: ${answer.reason}.`,
      };
    },
  );
}
