CREATE TABLE "chargebacks" (
	"chargeback_id" bigserial PRIMARY KEY NOT NULL,
	"organisation_id" integer NOT NULL,
	"payment_id" bigint NOT NULL,
	"transaction_id" bigint NOT NULL,
	"amount" numeric(18, 5) NOT NULL,
	"currency" text DEFAULT 'NOK' NOT NULL,
	"status" text DEFAULT 'OPEN' NOT NULL,
	"reason_code" text NOT NULL,
	"due_date" date,
	"notes" text,
	"evidence" text,
	"source" text DEFAULT 'MANUAL' NOT NULL,
	"report_line_id" bigint,
	"created_by_staff_user_id" text,
	"decided_at" timestamp (3) with time zone,
	"decided_by_staff_user_id" text,
	"decision_reason" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chargebacks_status_ck" CHECK (status in ('OPEN', 'WON', 'LOST')),
	CONSTRAINT "chargebacks_source_ck" CHECK (source in ('MANUAL', 'REPORT')),
	CONSTRAINT "chargebacks_amount_ck" CHECK (amount > 0),
	CONSTRAINT "chargebacks_decided_ck" CHECK ((status = 'OPEN') = (decided_at is null))
);
--> statement-breakpoint
ALTER TABLE "payment_transactions" DROP CONSTRAINT "payment_transactions_sums_ck";--> statement-breakpoint
ALTER TABLE "daily_volume" ADD COLUMN "charged_back_amount" numeric(18, 5) DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_volume" ADD COLUMN "charged_back_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "payment_transactions" ADD COLUMN "charged_back_amount" numeric(18, 5) DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "chargebacks" ADD CONSTRAINT "chargebacks_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chargebacks" ADD CONSTRAINT "chargebacks_payment_id_payments_payment_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("payment_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chargebacks" ADD CONSTRAINT "chargebacks_transaction_id_payment_transactions_transaction_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."payment_transactions"("transaction_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chargebacks_created_at_idx" ON "chargebacks" USING btree ("created_at" DESC NULLS FIRST,"chargeback_id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "chargebacks_org_created_at_idx" ON "chargebacks" USING btree ("organisation_id","created_at" DESC NULLS FIRST,"chargeback_id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "chargebacks_transaction_idx" ON "chargebacks" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "chargebacks_payment_idx" ON "chargebacks" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "chargebacks_status_due_idx" ON "chargebacks" USING btree ("status","due_date");--> statement-breakpoint
CREATE UNIQUE INDEX "chargebacks_report_line_uq" ON "chargebacks" USING btree ("report_line_id") WHERE report_line_id is not null;--> statement-breakpoint
ALTER TABLE "payment_transactions" ADD CONSTRAINT "payment_transactions_sums_ck" CHECK (reserved_amount >= 0 and credited_amount >= 0 and charged_back_amount >= 0 and credited_amount + reserved_amount + charged_back_amount <= captured_amount and captured_amount <= authorized_amount);