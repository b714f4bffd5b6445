ALTER TABLE "staff_users" ADD COLUMN "language" text;--> statement-breakpoint
ALTER TABLE "staff_users" ADD CONSTRAINT "staff_users_language_ck" CHECK ("staff_users"."language" in ('en', 'nb'));