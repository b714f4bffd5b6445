// The value lists behind the CHECK constraints and column types of db/schema.ts are copies of the
// lists the app validates with (db/ imports nothing from app/): they must stay equal, value for
// value and in the same order, and selecting a column must give the app's union type.
import fs from "node:fs";
import path from "node:path";
import { is } from "drizzle-orm";
import { getTableConfig, PgDialect, PgTable } from "drizzle-orm/pg-core";
import { MIGRATIONS_FOLDER } from "./migrate";
import * as schema from "./schema";
import * as enums from "../app/domain/enums";
import { DIFFERENCE_KINDS, REPORT_LINE_TYPES } from "../app/domain/settlement-report";
import { ROLES, SESSION_STEPS, type Role, type SessionStep } from "../app/auth/roles";
import { PAYMENT_CHANGE_STATUSES, type PaymentChangeStatus } from "../app/domain/self-service";

describe("db/schema value lists", () => {
  it.each([
    ["TRANSACTION_STATUS_VALUES", schema.TRANSACTION_STATUS_VALUES, enums.TRANSACTION_STATUSES],
    ["PAYMENT_TYPE_GROUP_VALUES", schema.PAYMENT_TYPE_GROUP_VALUES, enums.PAYMENT_TYPE_GROUPS],
    ["SCA_EXEMPTION_VALUES", schema.SCA_EXEMPTION_VALUES, enums.SCA_EXEMPTIONS],
    ["OPERATION_VALUES", schema.OPERATION_VALUES, enums.OPERATIONS],
    ["CREDIT_STATUS_VALUES", schema.CREDIT_STATUS_VALUES, enums.CREDIT_STATUSES],
    ["CHARGEBACK_STATUS_VALUES", schema.CHARGEBACK_STATUS_VALUES, enums.CHARGEBACK_STATUSES],
    ["CHARGEBACK_SOURCE_VALUES", schema.CHARGEBACK_SOURCE_VALUES, enums.CHARGEBACK_SOURCES],
    ["CREDIT_TRANSACTION_STATUS_VALUES", schema.CREDIT_TRANSACTION_STATUS_VALUES, enums.CREDIT_TRANSACTION_STATUSES],
    ["RECURRING_STATUS_VALUES", schema.RECURRING_STATUS_VALUES, enums.RECURRING_STATUSES],
    ["AGREEMENT_STATUS_VALUES", schema.AGREEMENT_STATUS_VALUES, enums.AGREEMENT_STATUSES],
    ["PAYMENT_CHANGE_STATUS_VALUES", schema.PAYMENT_CHANGE_STATUS_VALUES, PAYMENT_CHANGE_STATUSES],
    ["ROLE_VALUES", schema.ROLE_VALUES, ROLES],
    ["SETTLEMENT_REPORT_LINE_TYPE_VALUES", schema.SETTLEMENT_REPORT_LINE_TYPE_VALUES, REPORT_LINE_TYPES],
    ["RECONCILIATION_DIFFERENCE_KIND_VALUES", schema.RECONCILIATION_DIFFERENCE_KIND_VALUES, DIFFERENCE_KINDS],
    ["STAFF_SESSION_STEP_VALUES", schema.STAFF_SESSION_STEP_VALUES, SESSION_STEPS],
    ["PROVIDER_OPERATION_KIND_VALUES", schema.PROVIDER_OPERATION_KIND_VALUES, enums.PROVIDER_OPERATION_KINDS],
    ["PROVIDER_OPERATION_STATUS_VALUES", schema.PROVIDER_OPERATION_STATUS_VALUES, enums.PROVIDER_OPERATION_STATUSES],
  ] as const)("%s equals the app's list", (_name, inSchema, inApp) => {
    expect([...inSchema]).toEqual([...inApp]);
  });

  it("types each status and enum column with the app's union", () => {
    type Row<T extends { $inferSelect: unknown }> = T["$inferSelect"];
    expectTypeOf<Row<typeof schema.paymentTransactions>["status"]>().toEqualTypeOf<enums.TransactionStatus>();
    expectTypeOf<Row<typeof schema.paymentTransactions>["paymentTypeGroup"]>().toEqualTypeOf<enums.PaymentTypeGroup>();
    expectTypeOf<Row<typeof schema.paymentTransactions>["scaExemption"]>().toEqualTypeOf<enums.ScaExemption>();
    expectTypeOf<Row<typeof schema.paymentMethods>["paymentTypeGroup"]>().toEqualTypeOf<enums.PaymentTypeGroup>();
    expectTypeOf<Row<typeof schema.operationLog>["operation"]>().toEqualTypeOf<enums.Operation>();
    expectTypeOf<Row<typeof schema.credits>["status"]>().toEqualTypeOf<enums.CreditStatus>();
    expectTypeOf<Row<typeof schema.creditTransactions>["status"]>().toEqualTypeOf<enums.CreditTransactionStatus>();
    expectTypeOf<Row<typeof schema.recurringPayments>["recurringStatus"]>().toEqualTypeOf<enums.RecurringStatus>();
    expectTypeOf<Row<typeof schema.paymentAgreements>["status"]>().toEqualTypeOf<enums.AgreementStatus>();
    expectTypeOf<Row<typeof schema.paymentChanges>["status"]>().toEqualTypeOf<PaymentChangeStatus>();
    expectTypeOf<Row<typeof schema.staffUsers>["role"]>().toEqualTypeOf<Role>();
    expectTypeOf<Row<typeof schema.staffSessions>["pendingStep"]>().toEqualTypeOf<SessionStep | null>();
    expectTypeOf<Row<typeof schema.providerOperations>["kind"]>().toEqualTypeOf<enums.ProviderOperationKind>();
    expectTypeOf<Row<typeof schema.providerOperations>["status"]>().toEqualTypeOf<enums.ProviderOperationStatus>();
    expectTypeOf<Row<typeof schema.customerInvoices>["status"]>().toEqualTypeOf<"OPEN" | "PAID">();
    expectTypeOf<Row<typeof schema.customerTokens>["kind"]>().toEqualTypeOf<"code" | "access">();
  });

  it("has every CHECK constraint, as written, in the migrations (a changed list needs a new one)", () => {
    const migrations = fs
      .readdirSync(MIGRATIONS_FOLDER)
      .filter((file) => file.endsWith(".sql"))
      .map((file) => fs.readFileSync(path.join(MIGRATIONS_FOLDER, file), "utf8"))
      .join("\n");
    const dialect = new PgDialect();
    const checks = (Object.values(schema) as unknown[])
      .filter((value): value is PgTable => is(value, PgTable))
      .flatMap((table) => getTableConfig(table).checks);
    expect(checks.length).toBeGreaterThan(20);
    for (const check of checks) {
      expect(migrations).toContain(`CONSTRAINT "${check.name}" CHECK (${dialect.sqlToQuery(check.value).sql})`);
    }
  });
});
