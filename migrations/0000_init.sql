CREATE TABLE "api_clients" (
	"client_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"organisation_id" integer NOT NULL,
	"privileged" boolean DEFAULT false NOT NULL,
	"on_behalf_of_allowed" boolean DEFAULT false NOT NULL,
	"distribution_channels" text[] DEFAULT '{}'::text[] NOT NULL,
	"allowed_redirect_prefixes" text[] DEFAULT '{}'::text[] NOT NULL,
	"token_hash" text NOT NULL,
	"token_prefix" text NOT NULL,
	"rate_limit_per_minute" integer DEFAULT 600 NOT NULL,
	"disabled_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "app_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"actor_user_id" text,
	"actor_email" text NOT NULL,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text,
	"reason" text,
	"before" jsonb,
	"after" jsonb,
	"ip" text,
	"user_agent" text,
	"correlation_id" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "callback_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"payload" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_status" integer,
	"last_error" text,
	"delivered_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_transactions" (
	"credit_transaction_id" bigserial PRIMARY KEY NOT NULL,
	"credit_id" bigint NOT NULL,
	"payment_id" bigint NOT NULL,
	"transaction_id" bigint NOT NULL,
	"amount" numeric(18, 5) NOT NULL,
	"status" text DEFAULT 'CREATED' NOT NULL,
	"reimbursement_method" text NOT NULL,
	"reimbursement_type_group" text NOT NULL,
	"rrn" text,
	"claimed_at" timestamp (3) with time zone,
	"provider_reference" text,
	"credited_at" timestamp (3) with time zone,
	"failure_reason" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_transactions_status_ck" CHECK (status in ('CREATED', 'CREDITED', 'FAILED')),
	CONSTRAINT "credit_transactions_amount_ck" CHECK (amount > 0)
);
--> statement-breakpoint
CREATE TABLE "credits" (
	"credit_id" bigserial PRIMARY KEY NOT NULL,
	"organisation_id" integer NOT NULL,
	"order_id" text,
	"order_version" integer,
	"total_credit_amount" numeric(18, 5) NOT NULL,
	"currency" text DEFAULT 'NOK' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"status" text DEFAULT 'CREATED' NOT NULL,
	"settlement_id" text,
	"customer_number" text,
	"created_by_client_id" text,
	"created_by_staff_user_id" text,
	"reason" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credits_status_ck" CHECK (status in ('CREATED', 'CREDITED')),
	CONSTRAINT "credits_total_ck" CHECK (total_credit_amount > 0)
);
--> statement-breakpoint
CREATE TABLE "customer_invoices" (
	"invoice_number" text PRIMARY KEY NOT NULL,
	"product_code" text NOT NULL,
	"company_code" text NOT NULL,
	"customer_number" text NOT NULL,
	"amount" numeric(18, 5) NOT NULL,
	"currency" text DEFAULT 'NOK' NOT NULL,
	"due_date" date NOT NULL,
	"status" text DEFAULT 'OPEN' NOT NULL,
	"paid_transaction_id" bigint,
	"paid_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_invoices_number_len_ck" CHECK (char_length(invoice_number) <= 10),
	CONSTRAINT "customer_invoices_status_ck" CHECK (status in ('OPEN', 'PAID'))
);
--> statement-breakpoint
CREATE TABLE "customer_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_number" text NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"customer_number" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"password_hash" text,
	"organisation_id" integer,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customers_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "daily_volume" (
	"day" date NOT NULL,
	"organisation_id" integer NOT NULL,
	"currency" text NOT NULL,
	"payment_type_group" text NOT NULL,
	"payment_type" text NOT NULL,
	"settlement_id" text DEFAULT '' NOT NULL,
	"captured_amount" numeric(18, 5) DEFAULT '0' NOT NULL,
	"captured_count" integer DEFAULT 0 NOT NULL,
	"credited_amount" numeric(18, 5) DEFAULT '0' NOT NULL,
	"credited_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "daily_volume_day_organisation_id_currency_payment_type_group_payment_type_settlement_id_pk" PRIMARY KEY("day","organisation_id","currency","payment_type_group","payment_type","settlement_id")
);
--> statement-breakpoint
CREATE TABLE "gift_cards" (
	"gift_card_code" text PRIMARY KEY NOT NULL,
	"organisation_id" integer,
	"balance" numeric(18, 5) NOT NULL,
	"currency" text DEFAULT 'NOK' NOT NULL,
	"expires_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gift_cards_balance_ck" CHECK (balance >= 0)
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"client_id" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"state" text NOT NULL,
	"response_status" integer,
	"response_headers" jsonb,
	"response_body" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_client_id_key_pk" PRIMARY KEY("client_id","key")
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"invoice_id" text PRIMARY KEY NOT NULL,
	"payment_id" bigint NOT NULL,
	"transaction_id" bigint NOT NULL,
	"payment_type" text NOT NULL,
	"amount" numeric(18, 5) NOT NULL,
	"redirect_url" text,
	"language_code" text,
	"external_invoice_number" text,
	"customer_identification_number" text,
	"public_token" text,
	"expiry_date" date,
	"confirmed_at" timestamp (3) with time zone,
	"replaced_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "operation_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"transaction_id" bigint NOT NULL,
	"payment_id" bigint NOT NULL,
	"operation" text NOT NULL,
	"amount" numeric(18, 5),
	"correlation_id" text NOT NULL,
	"client_name" text,
	"pos" text,
	"distribution_channel" text,
	"actor_type" text NOT NULL,
	"actor" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "operation_log_operation_ck" CHECK (operation in ('CREATE', 'INITIATE', 'AUTHORIZE', 'CAPTURE', 'CANCEL', 'CREDIT', 'IMPORT', 'UPDATE'))
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_agreements" (
	"agreement_id" text PRIMARY KEY NOT NULL,
	"organisation_id" integer NOT NULL,
	"client_id" text,
	"customer_number" text NOT NULL,
	"product_name" text NOT NULL,
	"pricing" jsonb NOT NULL,
	"provider" jsonb NOT NULL,
	"status" text DEFAULT 'CREATED' NOT NULL,
	"confirmation_token" text,
	"stopped_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_agreements_status_ck" CHECK (status in ('CREATED', 'PENDING', 'ACTIVE', 'STOPPED', 'EXPIRED'))
);
--> statement-breakpoint
CREATE TABLE "payment_changes" (
	"payment_change_id" bigserial PRIMARY KEY NOT NULL,
	"product_code" text NOT NULL,
	"customer_number" text NOT NULL,
	"payment_method" text NOT NULL,
	"result" text,
	"completed_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_methods" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"distribution_channel_id" text NOT NULL,
	"payment_type" text NOT NULL,
	"payment_type_group" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"disabled_reason" text,
	"allows_reimbursement_override" boolean DEFAULT false NOT NULL,
	"payment_configuration" jsonb,
	"fee" numeric(18, 5),
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_methods_group_ck" CHECK (payment_type_group in ('PAYMENTCARD', 'MOBILE', 'INVOICE', 'GIFTCARD', 'ECARD', 'CASH', 'AGENT'))
);
--> statement-breakpoint
CREATE TABLE "payment_transactions" (
	"transaction_id" bigserial PRIMARY KEY NOT NULL,
	"payment_id" bigint NOT NULL,
	"amount" numeric(18, 5) NOT NULL,
	"currency" text NOT NULL,
	"status" text DEFAULT 'CREATED' NOT NULL,
	"payment_type" text NOT NULL,
	"payment_type_group" text NOT NULL,
	"reimbursement_type_group" text,
	"distribution_channel_id" text,
	"rrn" text,
	"card_number" text,
	"external_transaction_id" text,
	"recurring_payment_id" bigint,
	"payment_agreement_id" text,
	"is_import" boolean DEFAULT false NOT NULL,
	"sca_exemption" text DEFAULT 'NO_EXEMPTION' NOT NULL,
	"with_3d_secure" boolean,
	"terminal_id" text,
	"import_data" jsonb,
	"fee" numeric(18, 5),
	"authorized_amount" numeric(18, 5) DEFAULT '0' NOT NULL,
	"captured_amount" numeric(18, 5) DEFAULT '0' NOT NULL,
	"credited_amount" numeric(18, 5) DEFAULT '0' NOT NULL,
	"cancelled_amount" numeric(18, 5) DEFAULT '0' NOT NULL,
	"reserved_amount" numeric(18, 5) DEFAULT '0' NOT NULL,
	"last_authorization" text,
	"amount_frozen" boolean DEFAULT false NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_transactions_status_ck" CHECK (status in ('CREATED', 'INITIATED', 'AUTHORIZED', 'CAPTURED', 'CREDITED', 'CANCELLED')),
	CONSTRAINT "payment_transactions_group_ck" CHECK (payment_type_group in ('PAYMENTCARD', 'MOBILE', 'INVOICE', 'GIFTCARD', 'ECARD', 'CASH', 'AGENT')),
	CONSTRAINT "payment_transactions_sca_ck" CHECK (sca_exemption in ('NO_EXEMPTION', 'LOW_VALUE')),
	CONSTRAINT "payment_transactions_amount_ck" CHECK (amount > 0),
	CONSTRAINT "payment_transactions_card_number_ck" CHECK (card_number is null or card_number ~ '^[0-9]{4}$'),
	CONSTRAINT "payment_transactions_sums_ck" CHECK (reserved_amount >= 0 and credited_amount >= 0 and credited_amount + reserved_amount <= captured_amount and captured_amount <= authorized_amount)
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"payment_id" bigserial PRIMARY KEY NOT NULL,
	"organisation_id" integer NOT NULL,
	"order_id" text NOT NULL,
	"order_version" integer DEFAULT 1 NOT NULL,
	"total_amount" numeric(18, 5) NOT NULL,
	"currency" text DEFAULT 'NOK' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"settlement_id" text,
	"customer_number" text,
	"created_by_client_id" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_total_amount_ck" CHECK (total_amount > 0),
	CONSTRAINT "payments_currency_ck" CHECK (currency ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "products" (
	"product_code" text PRIMARY KEY NOT NULL,
	"customer_number" text NOT NULL,
	"organisation_id" integer,
	"company_code" text NOT NULL,
	"name" text NOT NULL,
	"current_payment_method" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_code_len_ck" CHECK (char_length(product_code) <= 12 and char_length(company_code) <= 12)
);
--> statement-breakpoint
CREATE TABLE "provider_sessions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"token" text NOT NULL,
	"kind" text NOT NULL,
	"transaction_id" bigint,
	"payment_id" bigint,
	"redirect_url" text,
	"callback_url" text,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"outcome" text,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"completed_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" text NOT NULL,
	"window_start" timestamp (3) with time zone NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rate_limits_key_window_start_pk" PRIMARY KEY("key","window_start")
);
--> statement-breakpoint
CREATE TABLE "recurring_payments" (
	"recurring_payment_id" bigserial PRIMARY KEY NOT NULL,
	"organisation_id" integer NOT NULL,
	"client_id" text,
	"customer_number" text NOT NULL,
	"nickname" text,
	"is_primary" boolean DEFAULT false NOT NULL,
	"recurring_status" text DEFAULT 'CREATED' NOT NULL,
	"payment_type" text,
	"masked_pan" text,
	"pan_hash" text,
	"card_expires_at" timestamp (3) with time zone,
	"expires_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recurring_payments_status_ck" CHECK (recurring_status in ('CREATED', 'ACTIVE', 'EXPIRED', 'CANCELLED')),
	CONSTRAINT "recurring_payments_masked_pan_ck" CHECK (masked_pan is null or masked_pan ~ '^[0-9]{0,6}[*]+[0-9]{4}$')
);
--> statement-breakpoint
CREATE TABLE "staff_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "staff_users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"password_hash" text NOT NULL,
	"time_zone" text DEFAULT 'Europe/Oslo' NOT NULL,
	"disabled_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_users_role_ck" CHECK (role in ('support', 'finance', 'admin'))
);
--> statement-breakpoint
ALTER TABLE "api_clients" ADD CONSTRAINT "api_clients_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_transactions" ADD CONSTRAINT "credit_transactions_credit_id_credits_credit_id_fk" FOREIGN KEY ("credit_id") REFERENCES "public"."credits"("credit_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_transactions" ADD CONSTRAINT "credit_transactions_payment_id_payments_payment_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("payment_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_transactions" ADD CONSTRAINT "credit_transactions_transaction_id_payment_transactions_transaction_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."payment_transactions"("transaction_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credits" ADD CONSTRAINT "credits_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_invoices" ADD CONSTRAINT "customer_invoices_product_code_products_product_code_fk" FOREIGN KEY ("product_code") REFERENCES "public"."products"("product_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_invoices" ADD CONSTRAINT "customer_invoices_customer_number_customers_customer_number_fk" FOREIGN KEY ("customer_number") REFERENCES "public"."customers"("customer_number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_sessions" ADD CONSTRAINT "customer_sessions_customer_number_customers_customer_number_fk" FOREIGN KEY ("customer_number") REFERENCES "public"."customers"("customer_number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gift_cards" ADD CONSTRAINT "gift_cards_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_payment_id_payments_payment_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("payment_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_transaction_id_payment_transactions_transaction_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."payment_transactions"("transaction_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operation_log" ADD CONSTRAINT "operation_log_transaction_id_payment_transactions_transaction_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."payment_transactions"("transaction_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_agreements" ADD CONSTRAINT "payment_agreements_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_changes" ADD CONSTRAINT "payment_changes_product_code_products_product_code_fk" FOREIGN KEY ("product_code") REFERENCES "public"."products"("product_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_methods" ADD CONSTRAINT "payment_methods_client_id_api_clients_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."api_clients"("client_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_transactions" ADD CONSTRAINT "payment_transactions_payment_id_payments_payment_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("payment_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_customer_number_customers_customer_number_fk" FOREIGN KEY ("customer_number") REFERENCES "public"."customers"("customer_number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_sessions" ADD CONSTRAINT "provider_sessions_transaction_id_payment_transactions_transaction_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."payment_transactions"("transaction_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recurring_payments" ADD CONSTRAINT "recurring_payments_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_sessions" ADD CONSTRAINT "staff_sessions_user_id_staff_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_clients_token_hash_uq" ON "api_clients" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "audit_log_created_at_idx" ON "audit_log" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_user_id");--> statement-breakpoint
CREATE INDEX "callback_outbox_due_idx" ON "callback_outbox" USING btree ("next_attempt_at") WHERE delivered_at is null;--> statement-breakpoint
CREATE INDEX "credit_transactions_credit_idx" ON "credit_transactions" USING btree ("credit_id","credit_transaction_id");--> statement-breakpoint
CREATE INDEX "credit_transactions_transaction_idx" ON "credit_transactions" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "credit_transactions_rrn_idx" ON "credit_transactions" USING btree ("rrn");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_transactions_provider_reference_uq" ON "credit_transactions" USING btree ("provider_reference");--> statement-breakpoint
CREATE INDEX "credits_created_at_idx" ON "credits" USING btree ("created_at" DESC NULLS LAST,"credit_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "credits_org_created_at_idx" ON "credits" USING btree ("organisation_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "credits_order_id_idx" ON "credits" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "credits_customer_number_idx" ON "credits" USING btree ("customer_number");--> statement-breakpoint
CREATE INDEX "credits_settlement_id_idx" ON "credits" USING btree ("settlement_id");--> statement-breakpoint
CREATE INDEX "customer_invoices_customer_idx" ON "customer_invoices" USING btree ("customer_number");--> statement-breakpoint
CREATE INDEX "daily_volume_settlement_idx" ON "daily_volume" USING btree ("settlement_id","day");--> statement-breakpoint
CREATE INDEX "idempotency_keys_expires_idx" ON "idempotency_keys" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "invoices_transaction_idx" ON "invoices" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "operation_log_transaction_idx" ON "operation_log" USING btree ("transaction_id","id");--> statement-breakpoint
CREATE INDEX "operation_log_created_at_idx" ON "operation_log" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "operation_log_correlation_idx" ON "operation_log" USING btree ("correlation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "operation_log_one_capture_uq" ON "operation_log" USING btree ("transaction_id") WHERE operation = 'CAPTURE';--> statement-breakpoint
CREATE INDEX "payment_agreements_customer_idx" ON "payment_agreements" USING btree ("customer_number","status");--> statement-breakpoint
CREATE INDEX "payment_changes_product_idx" ON "payment_changes" USING btree ("product_code");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_methods_client_channel_type_uq" ON "payment_methods" USING btree ("client_id","distribution_channel_id","payment_type");--> statement-breakpoint
CREATE INDEX "payment_transactions_payment_idx" ON "payment_transactions" USING btree ("payment_id","transaction_id");--> statement-breakpoint
CREATE INDEX "payment_transactions_rrn_idx" ON "payment_transactions" USING btree ("rrn");--> statement-breakpoint
CREATE INDEX "payment_transactions_card_number_idx" ON "payment_transactions" USING btree ("card_number");--> statement-breakpoint
CREATE INDEX "payment_transactions_external_id_idx" ON "payment_transactions" USING btree ("external_transaction_id");--> statement-breakpoint
CREATE INDEX "payment_transactions_status_idx" ON "payment_transactions" USING btree ("status","payment_id");--> statement-breakpoint
CREATE INDEX "payment_transactions_type_idx" ON "payment_transactions" USING btree ("payment_type","payment_id");--> statement-breakpoint
CREATE INDEX "payment_transactions_group_idx" ON "payment_transactions" USING btree ("payment_type_group","payment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_transactions_import_rrn_terminal_uq" ON "payment_transactions" USING btree ("rrn","terminal_id") WHERE is_import and rrn is not null and terminal_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "payments_org_order_version_uq" ON "payments" USING btree ("organisation_id","order_id","order_version");--> statement-breakpoint
CREATE INDEX "payments_created_at_idx" ON "payments" USING btree ("created_at" DESC NULLS LAST,"payment_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "payments_org_created_at_idx" ON "payments" USING btree ("organisation_id","created_at" DESC NULLS LAST,"payment_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "payments_order_id_idx" ON "payments" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "payments_customer_number_idx" ON "payments" USING btree ("customer_number");--> statement-breakpoint
CREATE INDEX "payments_settlement_id_idx" ON "payments" USING btree ("settlement_id");--> statement-breakpoint
CREATE INDEX "payments_total_amount_idx" ON "payments" USING btree ("total_amount");--> statement-breakpoint
CREATE INDEX "products_customer_idx" ON "products" USING btree ("customer_number");--> statement-breakpoint
CREATE UNIQUE INDEX "provider_sessions_token_uq" ON "provider_sessions" USING btree ("token");--> statement-breakpoint
CREATE INDEX "provider_sessions_transaction_idx" ON "provider_sessions" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "recurring_payments_customer_idx" ON "recurring_payments" USING btree ("customer_number");--> statement-breakpoint
CREATE UNIQUE INDEX "recurring_payments_one_primary_uq" ON "recurring_payments" USING btree ("customer_number") WHERE is_primary and recurring_status <> 'CANCELLED';--> statement-breakpoint
CREATE INDEX "staff_sessions_user_idx" ON "staff_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_users_email_uq" ON "staff_users" USING btree (lower("email"));