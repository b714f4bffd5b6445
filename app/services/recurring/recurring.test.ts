// Recurring payments in-process: create (the first is primary), move the primary, end the
// primary (it passes on), and the rules that refuse a change.
import { clientCaller, newOrganisation, staffCaller, useTestDatabase } from "../../../tests/support/use-case";
import {
  createRecurringPayment,
  endRecurringPayment,
  getRecurringPayment,
  listRecurringPayments,
  updateRecurringPayment,
} from "./recurring-payments.server";

const database = useTestDatabase();
let customerCounter = 0;
const newCustomer = () => `77${String(++customerCounter).padStart(6, "0")}`;

describe("recurring payments", () => {
  it("makes the customer's first card primary, and a later one only when asked", async () => {
    const caller = clientCaller(await newOrganisation(database()), { privileged: true });
    const customerNumber = newCustomer();
    const first = await createRecurringPayment(caller, { customerNumber, isPrimary: false });
    const second = await createRecurringPayment(caller, { customerNumber, nickname: "Work" });
    expect(first).toMatchObject({ primary: true, recurringStatus: "CREATED" });
    expect(second).toMatchObject({ primary: false, nickname: "Work" });
    const third = await createRecurringPayment(caller, { customerNumber, isPrimary: true });
    expect(third.primary).toBe(true);
    expect((await getRecurringPayment(caller, { recurringPaymentId: first.recurringPaymentId })).primary).toBe(false);
  });

  it("moves the primary, refuses to unset it, and hands it on when the primary is ended", async () => {
    const caller = clientCaller(await newOrganisation(database()), { privileged: true });
    const customerNumber = newCustomer();
    const a = await createRecurringPayment(caller, { customerNumber });
    const b = await createRecurringPayment(caller, { customerNumber });
    const moved = await updateRecurringPayment(caller, { recurringPaymentId: b.recurringPaymentId, isPrimary: true });
    expect(moved.primary).toBe(true);
    await expect(
      updateRecurringPayment(caller, { recurringPaymentId: b.recurringPaymentId, isPrimary: false }),
    ).rejects.toMatchObject({ kind: "rule", errors: [{ field: "isPrimary" }] });

    const ended = await endRecurringPayment(staffCaller(), { recurringPaymentId: b.recurringPaymentId });
    expect(ended).toMatchObject({ recurringStatus: "CANCELLED", primary: false });
    expect((await getRecurringPayment(caller, { recurringPaymentId: a.recurringPaymentId })).primary).toBe(true);
    // Ending again changes nothing; an ended card cannot change.
    expect((await endRecurringPayment(caller, { recurringPaymentId: b.recurringPaymentId })).recurringStatus).toBe(
      "CANCELLED",
    );
    await expect(
      updateRecurringPayment(caller, { recurringPaymentId: b.recurringPaymentId, nickname: "x" }),
    ).rejects.toMatchObject({ kind: "conflict" });

    const listed = await listRecurringPayments(caller, { customerNumber });
    expect(listed.map((r) => r.recurringPaymentId)).toEqual([a.recurringPaymentId]);
  });

  it("hides another organisation's card (404)", async () => {
    const caller = clientCaller(await newOrganisation(database()), { privileged: true });
    const other = clientCaller(await newOrganisation(database()));
    const card = await createRecurringPayment(caller, { customerNumber: newCustomer() });
    await expect(getRecurringPayment(other, { recurringPaymentId: card.recurringPaymentId })).rejects.toMatchObject({
      kind: "not_found",
    });
    await expect(endRecurringPayment(other, { recurringPaymentId: card.recurringPaymentId })).rejects.toMatchObject({
      kind: "not_found",
    });
  });
});
