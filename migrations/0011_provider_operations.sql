CREATE TABLE "provider_operations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"organisation_id" integer,
	"payment_id" bigint,
	"transaction_id" bigint,
	"credit_transaction_id" bigint,
	"kind" text NOT NULL,
	"reference" text NOT NULL,
	"request" jsonb NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"answer" jsonb,
	"idempotency_client_id" text,
	"idempotency_key" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_check_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp (3) with time zone,
	"claimed_by" text NOT NULL,
	CONSTRAINT "provider_operations_kind_ck" CHECK (kind in ('CAPTURE', 'CANCEL', 'AUTHORIZE', 'REFUND', 'CARD_AUTHORIZE', 'STORED_CARD_CHARGE', 'VIPPS_CLAIM', 'VIPPS_CHARGE', 'WALLET_AUTHORIZE', 'INVOICE_AUTHORIZE', 'INVOICE_PAY', 'METHOD_REGISTRATION')),
	CONSTRAINT "provider_operations_status_ck" CHECK (status in ('PENDING', 'SUCCEEDED', 'FAILED')),
	CONSTRAINT "provider_operations_settled_ck" CHECK ((status = 'PENDING') = (settled_at is null))
);
--> statement-breakpoint
ALTER TABLE "provider_operations" ADD CONSTRAINT "provider_operations_payment_id_payments_payment_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("payment_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_operations" ADD CONSTRAINT "provider_operations_transaction_id_payment_transactions_transaction_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."payment_transactions"("transaction_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_operations" ADD CONSTRAINT "provider_operations_credit_transaction_id_credit_transactions_credit_transaction_id_fk" FOREIGN KEY ("credit_transaction_id") REFERENCES "public"."credit_transactions"("credit_transaction_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "provider_operations_reference_uq" ON "provider_operations" USING btree ("reference");--> statement-breakpoint
CREATE UNIQUE INDEX "provider_operations_one_pending_uq" ON "provider_operations" USING btree ("transaction_id") WHERE status = 'PENDING';--> statement-breakpoint
CREATE INDEX "provider_operations_due_idx" ON "provider_operations" USING btree ("status","next_check_at");--> statement-breakpoint
CREATE INDEX "provider_operations_payment_idx" ON "provider_operations" USING btree ("payment_id","id");--> statement-breakpoint
CREATE INDEX "provider_operations_idempotency_idx" ON "provider_operations" USING btree ("idempotency_client_id","idempotency_key") WHERE idempotency_key is not null;--> statement-breakpoint
CREATE INDEX "provider_operations_credit_transaction_idx" ON "provider_operations" USING btree ("credit_transaction_id");