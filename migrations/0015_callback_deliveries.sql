CREATE TABLE "callback_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"callback_id" bigint NOT NULL,
	"attempted_at" timestamp (3) with time zone NOT NULL,
	"status_code" integer,
	"latency_ms" integer NOT NULL,
	"error" text,
	"delivered" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "callback_pauses" (
	"client_id" text NOT NULL,
	"target" text NOT NULL,
	"paused_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"paused_by" text NOT NULL,
	"reason" text NOT NULL,
	CONSTRAINT "callback_pauses_client_id_target_pk" PRIMARY KEY("client_id","target")
);
--> statement-breakpoint
ALTER TABLE "callback_outbox" ADD COLUMN "target" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "callback_outbox" ADD COLUMN "client_id" text;--> statement-breakpoint
ALTER TABLE "callback_outbox" ADD COLUMN "organisation_id" integer;--> statement-breakpoint
ALTER TABLE "callback_outbox" ADD COLUMN "payment_id" bigint;--> statement-breakpoint
ALTER TABLE "callback_outbox" ADD COLUMN "transaction_id" bigint;--> statement-breakpoint
ALTER TABLE "callback_outbox" ADD COLUMN "correlation_id" text;--> statement-breakpoint
ALTER TABLE "callback_attempts" ADD CONSTRAINT "callback_attempts_callback_id_callback_outbox_id_fk" FOREIGN KEY ("callback_id") REFERENCES "public"."callback_outbox"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "callback_pauses" ADD CONSTRAINT "callback_pauses_client_id_api_clients_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."api_clients"("client_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "callback_attempts_callback_idx" ON "callback_attempts" USING btree ("callback_id","attempted_at");--> statement-breakpoint
ALTER TABLE "callback_outbox" ADD CONSTRAINT "callback_outbox_client_id_api_clients_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."api_clients"("client_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "callback_outbox" ADD CONSTRAINT "callback_outbox_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "callback_outbox_created_at_idx" ON "callback_outbox" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "callback_outbox_client_idx" ON "callback_outbox" USING btree ("client_id","organisation_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "callback_outbox_target_idx" ON "callback_outbox" USING btree ("client_id","target") WHERE delivered_at is null;--> statement-breakpoint
CREATE INDEX "callback_outbox_transaction_idx" ON "callback_outbox" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "callback_outbox_correlation_idx" ON "callback_outbox" USING btree ("correlation_id");--> statement-breakpoint
UPDATE "callback_outbox" SET "target" = lower(coalesce(substring("url" from '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]+'), ''));
