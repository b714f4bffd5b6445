ALTER TABLE "daily_volume" ADD COLUMN "shard" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_volume" DROP CONSTRAINT "daily_volume_day_organisation_id_currency_payment_type_group_payment_type_settlement_id_pk";--> statement-breakpoint
ALTER TABLE "daily_volume" ADD CONSTRAINT "daily_volume_day_organisation_id_currency_payment_type_group_payment_type_settlement_id_shard_pk" PRIMARY KEY("day","organisation_id","currency","payment_type_group","payment_type","settlement_id","shard");--> statement-breakpoint
-- Existing volume is recomputed from the operation log with the shard each transaction's volume
-- lives in from now on (transaction_id % 16), so that moving a payment to another settlement
-- finds it where addToVolume would have put it.
DELETE FROM "daily_volume";--> statement-breakpoint
INSERT INTO "daily_volume" (day, organisation_id, currency, payment_type_group, payment_type, settlement_id, shard,
                            captured_amount, captured_count, credited_amount, credited_count)
SELECT (o.created_at AT TIME ZONE 'UTC')::date, p.organisation_id, t.currency, t.payment_type_group,
       coalesce(t.payment_type, t.payment_type_group), coalesce(p.settlement_id, ''), (t.transaction_id % 16)::smallint,
       coalesce(sum(o.amount) FILTER (WHERE o.operation IN ('CAPTURE', 'IMPORT')), 0),
       count(*) FILTER (WHERE o.operation IN ('CAPTURE', 'IMPORT')),
       coalesce(sum(o.amount) FILTER (WHERE o.operation = 'CREDIT'), 0),
       count(*) FILTER (WHERE o.operation = 'CREDIT')
  FROM operation_log o
  JOIN payment_transactions t ON t.transaction_id = o.transaction_id
  JOIN payments p ON p.payment_id = t.payment_id
 WHERE o.operation IN ('CAPTURE', 'IMPORT', 'CREDIT')
 GROUP BY 1, 2, 3, 4, 5, 6, 7;
