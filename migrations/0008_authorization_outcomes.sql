CREATE TABLE "daily_outcomes" (
	"day" date NOT NULL,
	"organisation_id" integer NOT NULL,
	"currency" text NOT NULL,
	"payment_type_group" text NOT NULL,
	"approved_count" integer DEFAULT 0 NOT NULL,
	"declined_count" integer DEFAULT 0 NOT NULL,
	"failed_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "daily_outcomes_day_organisation_id_currency_payment_type_group_pk" PRIMARY KEY("day","organisation_id","currency","payment_type_group"),
	CONSTRAINT "daily_outcomes_counts_ck" CHECK (approved_count >= 0 and declined_count >= 0 and failed_count >= 0)
);
--> statement-breakpoint
-- Approvals that happened before this table existed: each transaction's first AUTHORIZE entry
-- (declines and failures were never recorded, so history starts with approvals only).
INSERT INTO "daily_outcomes" ("day", "organisation_id", "currency", "payment_type_group", "approved_count")
SELECT (a.first_at AT TIME ZONE 'UTC')::date, p.organisation_id, t.currency, t.payment_type_group, count(*)::int
  FROM (SELECT transaction_id, min(created_at) AS first_at FROM operation_log WHERE operation = 'AUTHORIZE' GROUP BY transaction_id) a
  JOIN payment_transactions t ON t.transaction_id = a.transaction_id
  JOIN payments p ON p.payment_id = t.payment_id
 GROUP BY 1, 2, 3, 4;
