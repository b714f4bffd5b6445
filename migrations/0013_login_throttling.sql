CREATE TABLE "known_devices" (
	"token_hash" text NOT NULL,
	"scope" text NOT NULL,
	"account" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "known_devices_token_hash_scope_account_pk" PRIMARY KEY("token_hash","scope","account")
);
--> statement-breakpoint
CREATE TABLE "login_failures" (
	"scope" text NOT NULL,
	"account" text NOT NULL,
	"source" text NOT NULL,
	"failures" integer NOT NULL,
	"last_failure_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "login_failures_scope_account_source_pk" PRIMARY KEY("scope","account","source")
);
--> statement-breakpoint
CREATE INDEX "login_failures_account_idx" ON "login_failures" USING btree ("scope","account","last_failure_at");