-- pg_trgm: trusted since PostgreSQL 13 (a database owner may create it); PGlite loads it in db/client.ts.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "customers_email_trgm_idx" ON "customers" USING gin (lower("email") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customers_name_trgm_idx" ON "customers" USING gin (lower("name") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "payments_order_id_trgm_idx" ON "payments" USING gin (lower("order_id") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "payments_order_id_lower_idx" ON "payments" USING btree (lower("order_id"));