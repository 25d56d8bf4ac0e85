CREATE TABLE "roam_attempts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "roam_attempts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"job_id" uuid NOT NULL,
	"item_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"actor" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" text,
	"request_id" text,
	"error_code" text,
	"error_message" text,
	"http_status" integer,
	CONSTRAINT "roam_attempts_kind_check" CHECK ("roam_attempts"."kind" IN ('roam', 'check')),
	CONSTRAINT "roam_attempts_outcome_check" CHECK (("roam_attempts"."kind" = 'roam' AND ("roam_attempts"."outcome" IS NULL OR "roam_attempts"."outcome" IN ('succeeded', 'failed', 'unknown', 'interrupted'))) OR ("roam_attempts"."kind" = 'check' AND "roam_attempts"."outcome" IN ('present', 'absent', 'error'))),
	CONSTRAINT "roam_attempts_finished_check" CHECK (("roam_attempts"."outcome" IS NULL) = ("roam_attempts"."finished_at" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "roam_items" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "roam_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"job_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"username" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"needs_check" boolean DEFAULT false NOT NULL,
	"request_id" text,
	"error_code" text,
	"error_message" text,
	"error_request_id" text,
	"attempt_count" integer DEFAULT 0 NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"not_before" timestamp with time zone,
	"held" boolean DEFAULT false NOT NULL,
	"verified" boolean DEFAULT false NOT NULL,
	"target_presence" text,
	"presence_checked_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "roam_items_status_check" CHECK ("roam_items"."status" IN ('pending', 'in_progress', 'succeeded', 'failed', 'unknown')),
	CONSTRAINT "roam_items_target_presence_check" CHECK ("roam_items"."target_presence" IS NULL OR "roam_items"."target_presence" IN ('present', 'missing')),
	CONSTRAINT "roam_items_lease_check" CHECK (("roam_items"."status" = 'in_progress') = ("roam_items"."lease_owner" IS NOT NULL AND "roam_items"."lease_expires_at" IS NOT NULL)),
	CONSTRAINT "roam_items_held_check" CHECK (NOT "roam_items"."held" OR "roam_items"."status" = 'unknown')
);
--> statement-breakpoint
CREATE TABLE "roam_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"origin_region_id" text NOT NULL,
	"origin_instance_id" text NOT NULL,
	"target_region_id" text NOT NULL,
	"target_instance_id" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"finished_at" timestamp with time zone,
	"mode" text NOT NULL,
	"item_count" integer NOT NULL,
	"retried_by" text,
	"retried_at" timestamp with time zone,
	CONSTRAINT "roam_jobs_status_check" CHECK ("roam_jobs"."status" IN ('running', 'completed')),
	CONSTRAINT "roam_jobs_created_by_check" CHECK (length("roam_jobs"."created_by") > 0),
	CONSTRAINT "roam_jobs_finished_check" CHECK (("roam_jobs"."status" = 'completed') = ("roam_jobs"."finished_at" IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE "roam_attempts" ADD CONSTRAINT "roam_attempts_job_id_roam_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."roam_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roam_attempts" ADD CONSTRAINT "roam_attempts_item_id_roam_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."roam_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roam_items" ADD CONSTRAINT "roam_items_job_id_roam_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."roam_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "roam_attempts_item_idx" ON "roam_attempts" USING btree ("item_id","id");--> statement-breakpoint
CREATE INDEX "roam_attempts_job_idx" ON "roam_attempts" USING btree ("job_id","id");--> statement-breakpoint
CREATE INDEX "roam_attempts_in_flight_idx" ON "roam_attempts" USING btree ("item_id") WHERE "roam_attempts"."outcome" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "roam_items_job_username_idx" ON "roam_items" USING btree ("job_id","username");--> statement-breakpoint
CREATE UNIQUE INDEX "roam_items_job_position_idx" ON "roam_items" USING btree ("job_id","position");--> statement-breakpoint
CREATE INDEX "roam_items_claimable_job_idx" ON "roam_items" USING btree ("job_id","position") WHERE "roam_items"."status" IN ('pending', 'unknown', 'in_progress') AND NOT "roam_items"."held";--> statement-breakpoint
CREATE INDEX "roam_items_claimable_idx" ON "roam_items" USING btree ("id") WHERE "roam_items"."status" IN ('pending', 'unknown', 'in_progress') AND NOT "roam_items"."held";--> statement-breakpoint
CREATE INDEX "roam_jobs_created_at_idx" ON "roam_jobs" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "roam_jobs_running_idx" ON "roam_jobs" USING btree ("created_at") WHERE "roam_jobs"."status" = 'running';--> statement-breakpoint
CREATE INDEX "roam_jobs_origin_instance_idx" ON "roam_jobs" USING btree ("origin_instance_id","created_at");--> statement-breakpoint
CREATE INDEX "roam_jobs_target_instance_idx" ON "roam_jobs" USING btree ("target_instance_id","created_at");