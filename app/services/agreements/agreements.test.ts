// Payment agreements in-process: register (PENDING with a confirmation URL), confirm on the Vipps
// page, stop (idempotent), and tenancy.
import { eq } from "drizzle-orm";
import { paymentAgreements } from "../../../db/schema";
import { clientCaller, newOrganisation, systemCaller, useTestDatabase } from "../../../tests/support/use-case";
import { money } from "../../domain/money";
import { decideOnVippsPage, vippsPage } from "../mobile/app-claims.server";
import { getAgreement, listAgreements, registerAgreement, stopAgreement } from "./agreements.server";

const database = useTestDatabase();
const origin = "https://paydesk.example";

const register = (caller: ReturnType<typeof clientCaller>, customerNumber = "5500001") =>
  registerAgreement(caller, {
    origin,
    customerNumber,
    productName: "Monthly pass",
    pricing: { type: "LEGACY", amount: money("499"), currency: "NOK" },
    provider: { type: "VIPPS", phoneNumber: "+4712345678", redirectUrl: "https://example.com/agreement" },
  });

describe("payment agreements", () => {
  it("registers a PENDING agreement whose confirmation page confirms it", async () => {
    const caller = clientCaller(await newOrganisation(database()), { privileged: true });
    const agreement = await register(caller);
    expect(agreement).toMatchObject({
      status: "PENDING",
      pricing: { type: "LEGACY", amount: "499.00", currency: "NOK" },
      provider: { type: "VIPPS", phoneNumber: "+4712345678" },
    });
    const token = agreement.provider.confirmationUrl!.split("/").pop()!;
    expect(await vippsPage(token)).toMatchObject({ state: "open", mode: "agreement", amount: "499.00" });
    const decided = await decideOnVippsPage(systemCaller(), { token, decision: "approve" });
    expect(decided).toMatchObject({
      state: "approved",
      redirectTo: `https://example.com/agreement?agreementId=${agreement.agreementId}&result=approved`,
    });
    const active = await getAgreement(caller, { agreementId: agreement.agreementId, origin });
    expect(active.status).toBe("ACTIVE");
    expect(active.provider.confirmationUrl).toBeUndefined();
    expect((await decideOnVippsPage(systemCaller(), { token, decision: "reject" }))?.state).toBe("completed");
  });

  it("stops CREATED/PENDING/ACTIVE ones, answers a STOPPED one unchanged, and refuses an EXPIRED one", async () => {
    const caller = clientCaller(await newOrganisation(database()), { privileged: true });
    const agreement = await register(caller);
    const stopped = await stopAgreement(caller, { agreementId: agreement.agreementId, origin });
    expect(stopped.status).toBe("STOPPED");
    expect(stopped.stoppedAt).toBeInstanceOf(Date);
    const again = await stopAgreement(caller, { agreementId: agreement.agreementId, origin });
    expect(again.stoppedAt).toEqual(stopped.stoppedAt);

    const expired = await register(caller);
    await database()
      .db.update(paymentAgreements)
      .set({ status: "EXPIRED" })
      .where(eq(paymentAgreements.agreementId, expired.agreementId));
    await expect(stopAgreement(caller, { agreementId: expired.agreementId, origin })).rejects.toMatchObject({
      kind: "conflict",
    });
  });

  it("answers another organisation's, unknown and malformed ids alike (404)", async () => {
    const caller = clientCaller(await newOrganisation(database()), { privileged: true });
    const other = clientCaller(await newOrganisation(database()), { privileged: true });
    const agreement = await register(caller, "5500002");
    for (const agreementId of [agreement.agreementId, "agr_unknown", "not an id!", ""]) {
      await expect(getAgreement(other, { agreementId, origin })).rejects.toMatchObject({ kind: "not_found" });
      await expect(stopAgreement(other, { agreementId, origin })).rejects.toMatchObject({ kind: "not_found" });
    }
    expect(await listAgreements(other, { customerNumber: "5500002", origin })).toEqual([]);
    expect(await listAgreements(caller, { customerNumber: "5500002", origin })).toHaveLength(1);
  });
});
