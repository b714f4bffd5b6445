CREATE TABLE "reconciliation_differences" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"import_id" bigint NOT NULL,
	"settlement_id" text NOT NULL,
	"kind" text NOT NULL,
	"line_no" integer,
	"type" text NOT NULL,
	"reference" text,
	"currency" text NOT NULL,
	"provider_amount" numeric(18, 5),
	"paydesk_amount" numeric(18, 5),
	"difference" numeric(18, 5) NOT NULL,
	"payment_id" bigint,
	"transaction_id" bigint,
	"credit_transaction_id" bigint,
	"resolved_at" timestamp (3) with time zone,
	"resolved_by_email" text,
	"resolution" text,
	CONSTRAINT "reconciliation_differences_kind_ck" CHECK (kind in ('MISSING_IN_PAYDESK', 'MISSING_AT_PROVIDER', 'AMOUNT_DIFFERS')),
	CONSTRAINT "reconciliation_differences_type_ck" CHECK (type in ('CAPTURE', 'REFUND', 'CHARGEBACK', 'FEE')),
	CONSTRAINT "reconciliation_differences_resolved_ck" CHECK ((resolved_at is null) = (resolution is null))
);
--> statement-breakpoint
CREATE TABLE "reconciliation_totals" (
	"settlement_id" text NOT NULL,
	"currency" text NOT NULL,
	"import_id" bigint NOT NULL,
	"line_count" integer NOT NULL,
	"matched_count" integer NOT NULL,
	"gross_amount" numeric(18, 5) DEFAULT '0' NOT NULL,
	"fees" numeric(18, 5) DEFAULT '0' NOT NULL,
	"net_amount" numeric(18, 5) DEFAULT '0' NOT NULL,
	CONSTRAINT "reconciliation_totals_settlement_id_currency_pk" PRIMARY KEY("settlement_id","currency")
);
--> statement-breakpoint
CREATE TABLE "settlement_report_imports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"file_name" text NOT NULL,
	"status" text DEFAULT 'RUNNING' NOT NULL,
	"upload_token" text NOT NULL,
	"content_sha256" text,
	"lines_read" integer DEFAULT 0 NOT NULL,
	"bytes_read" bigint DEFAULT 0 NOT NULL,
	"imported_by_user_id" text,
	"imported_by_email" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp (3) with time zone,
	CONSTRAINT "settlement_report_imports_status_ck" CHECK (status in ('RUNNING', 'DONE')),
	CONSTRAINT "settlement_report_imports_done_ck" CHECK ((status = 'DONE') = (content_sha256 is not null))
);
--> statement-breakpoint
CREATE TABLE "settlement_report_lines" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"import_id" bigint NOT NULL,
	"line_no" integer NOT NULL,
	"settlement_id" text NOT NULL,
	"booking_date" date NOT NULL,
	"type" text NOT NULL,
	"reference" text,
	"gross_amount" numeric(18, 5) NOT NULL,
	"fee" numeric(18, 5) NOT NULL,
	"net_amount" numeric(18, 5) NOT NULL,
	"currency" text NOT NULL,
	CONSTRAINT "settlement_report_lines_type_ck" CHECK (type in ('CAPTURE', 'REFUND', 'CHARGEBACK', 'FEE'))
);
--> statement-breakpoint
ALTER TABLE "reconciliation_differences" ADD CONSTRAINT "reconciliation_differences_import_id_settlement_report_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."settlement_report_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_totals" ADD CONSTRAINT "reconciliation_totals_import_id_settlement_report_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."settlement_report_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlement_report_lines" ADD CONSTRAINT "settlement_report_lines_import_id_settlement_report_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."settlement_report_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reconciliation_differences_settlement_idx" ON "reconciliation_differences" USING btree ("settlement_id","kind","id");--> statement-breakpoint
CREATE INDEX "reconciliation_differences_import_idx" ON "reconciliation_differences" USING btree ("import_id");--> statement-breakpoint
CREATE INDEX "reconciliation_totals_import_idx" ON "reconciliation_totals" USING btree ("import_id");--> statement-breakpoint
CREATE UNIQUE INDEX "settlement_report_imports_sha256_uq" ON "settlement_report_imports" USING btree ("content_sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "settlement_report_imports_token_uq" ON "settlement_report_imports" USING btree ("upload_token");--> statement-breakpoint
CREATE INDEX "settlement_report_imports_created_at_idx" ON "settlement_report_imports" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE UNIQUE INDEX "settlement_report_lines_import_line_uq" ON "settlement_report_lines" USING btree ("import_id","line_no");--> statement-breakpoint
CREATE INDEX "settlement_report_lines_settlement_idx" ON "settlement_report_lines" USING btree ("settlement_id");--> statement-breakpoint
CREATE INDEX "settlement_report_lines_reference_idx" ON "settlement_report_lines" USING btree ("reference");