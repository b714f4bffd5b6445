CREATE INDEX "operation_log_operation_idx" ON "operation_log" USING btree ("operation");--> statement-breakpoint
CREATE INDEX "operation_log_client_name_idx" ON "operation_log" USING btree ("client_name");--> statement-breakpoint
CREATE INDEX "operation_log_pos_idx" ON "operation_log" USING btree ("pos");--> statement-breakpoint
CREATE INDEX "operation_log_channel_idx" ON "operation_log" USING btree ("distribution_channel");--> statement-breakpoint
CREATE INDEX "operation_log_actor_idx" ON "operation_log" USING btree ("actor");