CREATE TABLE "saved_views" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"owner_user_id" text NOT NULL,
	"screen" text NOT NULL,
	"name" text NOT NULL,
	"query" text NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_views_screen_ck" CHECK (screen in ('payments', 'credits', 'operation-log'))
);
--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_owner_user_id_staff_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "saved_views_owner_screen_name_uq" ON "saved_views" USING btree ("owner_user_id","screen","name");--> statement-breakpoint
CREATE UNIQUE INDEX "saved_views_one_default_uq" ON "saved_views" USING btree ("owner_user_id","screen") WHERE is_default;