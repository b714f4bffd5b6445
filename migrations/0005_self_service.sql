CREATE TABLE "customer_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"customer_number" text NOT NULL,
	"client_id" text NOT NULL,
	"session_id" text NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"used_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_tokens_kind_ck" CHECK (kind in ('code', 'access'))
);
--> statement-breakpoint
ALTER TABLE "customer_invoices" ADD COLUMN "payment_id" bigint;--> statement-breakpoint
ALTER TABLE "customer_invoices" ADD COLUMN "payment_method" text;--> statement-breakpoint
ALTER TABLE "payment_changes" ADD COLUMN "client_id" text;--> statement-breakpoint
ALTER TABLE "payment_changes" ADD COLUMN "status" text DEFAULT 'CREATED' NOT NULL;--> statement-breakpoint
ALTER TABLE "payment_changes" ADD COLUMN "updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "provider_sessions" ADD COLUMN "payment_change_id" bigint;--> statement-breakpoint
ALTER TABLE "customer_tokens" ADD CONSTRAINT "customer_tokens_customer_number_customers_customer_number_fk" FOREIGN KEY ("customer_number") REFERENCES "public"."customers"("customer_number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_tokens" ADD CONSTRAINT "customer_tokens_client_id_api_clients_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."api_clients"("client_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_tokens" ADD CONSTRAINT "customer_tokens_session_id_customer_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."customer_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_tokens_session_idx" ON "customer_tokens" USING btree ("session_id");--> statement-breakpoint
ALTER TABLE "customer_invoices" ADD CONSTRAINT "customer_invoices_payment_id_payments_payment_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("payment_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_sessions" ADD CONSTRAINT "provider_sessions_payment_change_id_payment_changes_payment_change_id_fk" FOREIGN KEY ("payment_change_id") REFERENCES "public"."payment_changes"("payment_change_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "customer_invoices_payment_uq" ON "customer_invoices" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "provider_sessions_payment_change_idx" ON "provider_sessions" USING btree ("payment_change_id");--> statement-breakpoint
ALTER TABLE "customer_invoices" ADD CONSTRAINT "customer_invoices_paid_ck" CHECK ((status = 'PAID') = (paid_at is not null));--> statement-breakpoint
ALTER TABLE "payment_changes" ADD CONSTRAINT "payment_changes_status_ck" CHECK (status in ('CREATED', 'INITIATED', 'FINISHED', 'CANCELLED', 'FAILED'));