DROP INDEX IF EXISTS "audit_log_created_at_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "credits_created_at_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "credits_org_created_at_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "operation_log_created_at_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "payments_created_at_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "payments_org_created_at_idx";--> statement-breakpoint
CREATE INDEX "operation_log_payment_idx" ON "operation_log" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "audit_log_created_at_idx" ON "audit_log" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "credits_created_at_idx" ON "credits" USING btree ("created_at" DESC NULLS FIRST,"credit_id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "credits_org_created_at_idx" ON "credits" USING btree ("organisation_id","created_at" DESC NULLS FIRST,"credit_id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "operation_log_created_at_idx" ON "operation_log" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "payments_created_at_idx" ON "payments" USING btree ("created_at" DESC NULLS FIRST,"payment_id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "payments_org_created_at_idx" ON "payments" USING btree ("organisation_id","created_at" DESC NULLS FIRST,"payment_id" DESC NULLS FIRST);