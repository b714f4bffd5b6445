// ApplePay / GooglePay over HTTP (POST …/wallet): authorized at once without a
// redirectUrl, or through the sandbox 3DS page (terminalUri) with one. The token is never kept.
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { WalletResponse } from "../../app/http/api/schemas-mobile";
import { formatMoney } from "../../app/components/format";
import { operationLog, paymentTransactions, providerSessions } from "../../db/schema";
import { expectProblem, paymentWithTransaction } from "../support/api";
import { useApiClient, useTestServer } from "../support/fixtures-http";
import { expectPageShows, expectSentBack, fetchPage, landed, submitForm } from "../support/fixtures-pages";
import {
  operationsOf,
  readTransaction,
  stateOf,
  transactionPath,
  type TransactionIds,
} from "../support/fixtures-transactions";

const server = useTestServer();
const shop = useApiClient(server, { organisationId: 721, allowedRedirectPrefixes: ["https://shop.example/"] });
const stranger = useApiClient(server, { organisationId: 722 });

const RETURN = "https://shop.example/3ds-done";
const SECRET = "ENCRYPTED-TOKEN-PAYLOAD-5f2c9a";

const transaction = (p: TransactionIds) => readTransaction(shop, p);
const decide = (url: string, decision: string) => submitForm(url, { decision }, server.url);

/** A card transaction whose scheme is not known yet (learnt from the wallet). */
async function cardTransaction(amount = "100.00") {
  const created = await shop.post("/v1/payments", {
    totalAmount: amount,
    transaction: { paymentTypeGroup: "PAYMENTCARD" },
  });
  expect(created.status).toBe(201);
  return {
    paymentId: created.body.paymentId as number,
    transactionId: created.body.transactions[0].transactionId as number,
  };
}

function applePayToken(displayName: string, network = "Visa") {
  return JSON.stringify({
    paymentData: {
      version: "EC_v1",
      data: SECRET,
      signature: "c2ln",
      header: { ephemeralPublicKey: "a2V5", transactionId: "abc" },
    },
    paymentMethod: { displayName, network, type: "debit" },
    transactionIdentifier: "5394AE0F",
  });
}

/** Nothing of the token is in any row that the flow writes. */
/** Everything stored about the transaction: its row, its provider sessions, its operation log. */
async function storedText(transactionId: number) {
  const rows = [
    ...(await server.database.db
      .select()
      .from(paymentTransactions)
      .where(eq(paymentTransactions.transactionId, transactionId))),
    ...(await server.database.db
      .select()
      .from(providerSessions)
      .where(eq(providerSessions.transactionId, transactionId))),
    ...(await server.database.db.select().from(operationLog).where(eq(operationLog.transactionId, transactionId))),
  ];
  return JSON.stringify(rows);
}

async function expectTokenNotStored(transactionId: number) {
  const text = await storedText(transactionId);
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain("5394AE0F");
  expect(text).not.toContain("ephemeralPublicKey");
}

describe("without redirectUrl: authorized at once", () => {
  it("ApplePay: 201 without terminalUri; AUTHORIZED with the last 4 and the scheme from the token", async () => {
    const p = await cardTransaction("120.00");
    const result = await shop.post(transactionPath(p, "wallet"), {
      walletProvider: "ApplePay",
      paymentData: applePayToken("Visa 0326"),
    });
    expect(result.status).toBe(201);
    expect(result.body).toEqual({ paymentId: p.paymentId, transactionId: p.transactionId, walletProvider: "ApplePay" });
    expect(WalletResponse.safeParse(result.body).success).toBe(true);
    const after = await transaction(p);
    expect(after).toMatchObject({
      status: "AUTHORIZED",
      cardNumber: "0326",
      paymentType: "VISA",
      paymentTypeGroup: "PAYMENTCARD",
    });
    expect(after.summary.authorizedAmount).toBe("120.00");
    expect(after.rrn).toMatch(/^[0-9]{12}$/);
    expect(operationsOf(after)).toEqual(["CREATE", "AUTHORIZE"]);
    await expectTokenNotStored(p.transactionId);
    // Captured like any authorized card payment.
    expect((await shop.put(transactionPath(p, "capture"))).body.transactions[0].status).toBe("CAPTURED");
  });

  it("GooglePay: last4 at the top level; a type already set on the transaction is kept", async () => {
    const p = await paymentWithTransaction(shop, "15.00", "MASTERCARD");
    const result = await shop.post(transactionPath(p, "wallet"), {
      walletProvider: "GooglePay",
      paymentData: JSON.stringify({ last4: "4242", network: "VISA", signedMessage: SECRET }),
    });
    expect(result.status).toBe(201);
    const after = await transaction(p);
    expect(after).toMatchObject({ status: "AUTHORIZED", cardNumber: "4242", paymentType: "MASTERCARD" });
    await expectTokenNotStored(p.transactionId);
  });

  it("a token without 4 digits leaves cardNumber empty; more digits keep only the last 4", async () => {
    const none = await cardTransaction("5.00");
    await shop.post(transactionPath(none, "wallet"), {
      walletProvider: "ApplePay",
      paymentData: JSON.stringify({ displayName: "My card 12" }),
    });
    expect((await transaction(none)).cardNumber).toBeNull();
    const many = await cardTransaction("5.00");
    await shop.post(transactionPath(many, "wallet"), {
      walletProvider: "ApplePay",
      paymentData: JSON.stringify({ displayName: "4111 1111 1111 1234" }),
    });
    const after = await transaction(many);
    expect(after.cardNumber).toBe("1234");
    // The first twelve digits, spaced or not, are nowhere: not in the answer, not in the database.
    // (Not just "4111": random correlation ids and RRNs may hold those four by chance.)
    const firstTwelve = /4111 ?1111 ?1111/;
    expect(JSON.stringify(after)).not.toMatch(firstTwelve);
    expect(await storedText(many.transactionId)).not.toMatch(firstTwelve);
  });

  it.each([
    ["0002", "REFUSED_BY_ISSUER"],
    ["9995", "SOFT_DECLINE"],
  ])("a card ending in %s is declined with errorReason %s; nothing changes or is logged", async (last4, reason) => {
    const p = await cardTransaction("30.00");
    const result = await shop.post(transactionPath(p, "wallet"), {
      walletProvider: "ApplePay",
      paymentData: applePayToken(`Visa ${last4}`),
    });
    expectProblem(result, 422);
    expect(result.body.errorReason).toBe(reason);
    const after = await transaction(p);
    expect(after).toMatchObject({ status: "CREATED", cardNumber: null, paymentType: null });
    expect(operationsOf(after)).toEqual(["CREATE"]);
  });
});

describe("with redirectUrl: the 3DS page", () => {
  it("answers the terminalUri; completing authorizes and goes back with result=approved", async () => {
    const p = await cardTransaction("64.00");
    const result = await shop.post(transactionPath(p, "wallet"), {
      walletProvider: "GooglePay",
      paymentData: applePayToken("Mastercard 5454", "MasterCard"),
      redirectUrl: RETURN,
    });
    expect(result.status).toBe(201);
    expect(result.body).toEqual({
      paymentId: p.paymentId,
      transactionId: p.transactionId,
      walletProvider: "GooglePay",
      terminalUri: expect.stringMatching(new RegExp(`^${server.url}/sandbox/wallet/[A-Za-z0-9_-]{20,}$`)),
    });
    expect(WalletResponse.safeParse(result.body).success).toBe(true);
    const initiated = await transaction(p);
    expect(initiated.status).toBe("INITIATED");
    expect(initiated.cardNumber).toBeNull();
    expect(operationsOf(initiated)).toEqual(["CREATE", "INITIATE"]);

    await expectPageShows(result.body.terminalUri, [
      formatMoney("64.00", "NOK"),
      `>Organisation ${shop.organisationId}</span> with your bank`,
      "ending in 5454",
      ">Authenticate<",
    ]);

    const done = await decide(result.body.terminalUri, "approve");
    expectSentBack(done, RETURN, p, "approved");
    const after = await transaction(p);
    expect(after).toMatchObject({ status: "AUTHORIZED", cardNumber: "5454", paymentType: "MASTERCARD" });
    expect(operationsOf(after)).toEqual(["CREATE", "INITIATE", "AUTHORIZE"]);
    await expectTokenNotStored(p.transactionId);
    expect((await decide(result.body.terminalUri, "approve")).status).toBe(409);
    expect(operationsOf(await transaction(p))).toEqual(["CREATE", "INITIATE", "AUTHORIZE"]);
  });

  it.each([
    ["cancelling comes back with result=rejected and authorizes nothing", "Visa 1111", "reject", "rejected"],
    ["a declined card comes back with result=failed and authorizes nothing", "Visa 0002", "approve", "failed"],
  ])("%s", async (_, displayName, decision, result) => {
    const p = await cardTransaction();
    const opened = await shop.post(transactionPath(p, "wallet"), {
      walletProvider: "ApplePay",
      paymentData: applePayToken(displayName),
      redirectUrl: RETURN,
    });
    const back = await decide(opened.body.terminalUri, decision);
    expect(back.status).toBe(302);
    expect(landed(back.location).query.result).toBe(result);
    expect(stateOf(await transaction(p))).toEqual({ status: "INITIATED", operations: ["CREATE", "INITIATE"] });
  });

  it("an expired page says so and changes nothing", async () => {
    const p = await cardTransaction();
    const result = await shop.post(transactionPath(p, "wallet"), {
      walletProvider: "ApplePay",
      paymentData: applePayToken("Visa 1111"),
      redirectUrl: RETURN,
    });
    await server.database.db
      .update(providerSessions)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(providerSessions.transactionId, p.transactionId));
    const shown = await fetchPage(result.body.terminalUri);
    expect(shown.status).toBe(410);
    expect(shown.html).toContain("expired");
    expect((await decide(result.body.terminalUri, "approve")).status).toBe(410);
    expect((await transaction(p)).status).toBe("INITIATED");
  });

  it("a redirectUrl outside the client's prefixes is a 400 naming it", async () => {
    const p = await cardTransaction();
    for (const redirectUrl of ["https://evil.example/x", "javascript:alert(1)", "http://shop.example/x"]) {
      expectProblem(
        await shop.post(transactionPath(p, "wallet"), {
          walletProvider: "ApplePay",
          paymentData: applePayToken("Visa 1111"),
          redirectUrl,
        }),
        400,
        "redirectUrl",
      );
    }
    expect((await transaction(p)).status).toBe("CREATED");
  });
});

describe("bad input and wrong transactions", () => {
  it.each([
    ["not JSON", { walletProvider: "ApplePay", paymentData: "{not json" }, "paymentData"],
    ["a JSON array", { walletProvider: "ApplePay", paymentData: "[1,2]" }, "paymentData"],
    ["a JSON string", { walletProvider: "ApplePay", paymentData: '"token"' }, "paymentData"],
    [
      "an object instead of a string",
      { walletProvider: "ApplePay", paymentData: { displayName: "Visa 1234" } },
      "paymentData",
    ],
    ["missing paymentData", { walletProvider: "ApplePay" }, "paymentData"],
    ["an unknown wallet", { walletProvider: "SamsungPay", paymentData: "{}" }, "walletProvider"],
    ["missing walletProvider", { paymentData: "{}" }, "walletProvider"],
  ])("%s is a 400 naming the field", async (_what, body, field) => {
    const p = await cardTransaction();
    expectProblem(await shop.post(transactionPath(p, "wallet"), body), 400, field);
    expect(operationsOf(await transaction(p))).toEqual(["CREATE"]);
  });

  it("only CREATED PAYMENTCARD transactions of the caller's organisation", async () => {
    const cash = await paymentWithTransaction(shop, "10.00", "CASH");
    expectProblem(
      await shop.post(transactionPath(cash, "wallet"), { walletProvider: "ApplePay", paymentData: "{}" }),
      409,
    );
    const p = await cardTransaction();
    expectProblem(
      await stranger.post(transactionPath(p, "wallet"), { walletProvider: "ApplePay", paymentData: "{}" }),
      404,
    );
    expect(
      (
        await shop.post(transactionPath(p, "wallet"), {
          walletProvider: "ApplePay",
          paymentData: applePayToken("Visa 1111"),
        })
      ).status,
    ).toBe(201);
    expectProblem(
      await shop.post(transactionPath(p, "wallet"), {
        walletProvider: "ApplePay",
        paymentData: applePayToken("Visa 1111"),
      }),
      409,
    );
    expect(operationsOf(await transaction(p))).toEqual(["CREATE", "AUTHORIZE"]);
  });
});
