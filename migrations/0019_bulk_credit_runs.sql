CREATE TABLE "bulk_credit_items" (
	"run_id" text NOT NULL,
	"payment_id" bigint NOT NULL,
	"outcome" text NOT NULL,
	"credit_id" bigint,
	"currency" text,
	"amount" numeric(18, 5),
	"message" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bulk_credit_items_run_id_payment_id_pk" PRIMARY KEY("run_id","payment_id"),
	CONSTRAINT "bulk_credit_items_outcome_ck" CHECK (outcome in ('skipped', 'refused', 'created', 'executed', 'awaiting_second_person', 'execution_failed'))
);
--> statement-breakpoint
CREATE TABLE "bulk_credit_runs" (
	"run_id" text PRIMARY KEY NOT NULL,
	"staff_user_id" text NOT NULL,
	"reason" text NOT NULL,
	"amount_rule" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "bulk_credit_items" ADD CONSTRAINT "bulk_credit_items_run_id_bulk_credit_runs_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."bulk_credit_runs"("run_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulk_credit_items" ADD CONSTRAINT "bulk_credit_items_credit_id_credits_credit_id_fk" FOREIGN KEY ("credit_id") REFERENCES "public"."credits"("credit_id") ON DELETE no action ON UPDATE no action;