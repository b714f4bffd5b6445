CREATE TABLE "sandbox_operations" (
	"reference" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"amount" numeric(18, 5),
	"outcome" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
