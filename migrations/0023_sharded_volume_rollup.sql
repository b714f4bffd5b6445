ALTER TABLE "daily_volume" ADD COLUMN "shard" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_volume" DROP CONSTRAINT "daily_volume_day_organisation_id_currency_payment_type_group_payment_type_settlement_id_pk";--> statement-breakpoint
ALTER TABLE "daily_volume" ADD CONSTRAINT "daily_volume_day_organisation_id_currency_payment_type_group_payment_type_settlement_id_shard_pk" PRIMARY KEY("day","organisation_id","currency","payment_type_group","payment_type","settlement_id","shard");--> statement-breakpoint
-- The existing volume is recomputed from the operation log and the lost chargebacks, each
-- transaction's in the shard it lives in from now on (transaction_id % 16), so that moving a
-- payment to another settlement finds it where addToVolume would have put it.
DELETE FROM "daily_volume";--> statement-breakpoint
WITH movements AS (
  SELECT o.created_at AS at, o.transaction_id, CASE WHEN o.operation = 'CREDIT' THEN 'credited' ELSE 'captured' END AS kind, o.amount
    FROM operation_log o
   WHERE o.operation IN ('CAPTURE', 'IMPORT', 'CREDIT')
  UNION ALL
  SELECT c.decided_at, c.transaction_id, 'chargedBack', c.amount FROM chargebacks c WHERE c.status = 'LOST'
)
INSERT INTO "daily_volume" (day, organisation_id, currency, payment_type_group, payment_type, settlement_id, shard,
                            captured_amount, captured_count, credited_amount, credited_count,
                            charged_back_amount, charged_back_count)
SELECT (m.at AT TIME ZONE 'UTC')::date, p.organisation_id, t.currency, t.payment_type_group,
       coalesce(t.payment_type, t.payment_type_group), coalesce(p.settlement_id, ''), (t.transaction_id % 16)::smallint,
       coalesce(sum(m.amount) FILTER (WHERE m.kind = 'captured'), 0), count(*) FILTER (WHERE m.kind = 'captured'),
       coalesce(sum(m.amount) FILTER (WHERE m.kind = 'credited'), 0), count(*) FILTER (WHERE m.kind = 'credited'),
       coalesce(sum(m.amount) FILTER (WHERE m.kind = 'chargedBack'), 0), count(*) FILTER (WHERE m.kind = 'chargedBack')
  FROM movements m
  JOIN payment_transactions t ON t.transaction_id = m.transaction_id
  JOIN payments p ON p.payment_id = t.payment_id
 GROUP BY 1, 2, 3, 4, 5, 6, 7;
