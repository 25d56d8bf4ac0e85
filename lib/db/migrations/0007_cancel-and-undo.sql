ALTER TABLE "roam_attempts" DROP CONSTRAINT "roam_attempts_kind_check";--> statement-breakpoint
ALTER TABLE "roam_attempts" DROP CONSTRAINT "roam_attempts_outcome_check";--> statement-breakpoint
ALTER TABLE "roam_items" DROP CONSTRAINT "roam_items_status_check";--> statement-breakpoint
ALTER TABLE "roam_jobs" DROP CONSTRAINT "roam_jobs_status_check";--> statement-breakpoint
ALTER TABLE "roam_jobs" DROP CONSTRAINT "roam_jobs_finished_check";--> statement-breakpoint
ALTER TABLE "roam_jobs" ADD COLUMN "kind" text DEFAULT 'roam' NOT NULL;--> statement-breakpoint
ALTER TABLE "roam_jobs" ADD COLUMN "undoes_job_id" uuid;--> statement-breakpoint
ALTER TABLE "roam_jobs" ADD COLUMN "cancelled_by" text;--> statement-breakpoint
ALTER TABLE "roam_jobs" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "roam_jobs" ADD CONSTRAINT "roam_jobs_undoes_job_id_roam_jobs_id_fk" FOREIGN KEY ("undoes_job_id") REFERENCES "public"."roam_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "roam_jobs_undoes_job_idx" ON "roam_jobs" USING btree ("undoes_job_id");--> statement-breakpoint
ALTER TABLE "roam_attempts" ADD CONSTRAINT "roam_attempts_kind_check" CHECK ("roam_attempts"."kind" IN ('roam', 'delete', 'check'));--> statement-breakpoint
ALTER TABLE "roam_attempts" ADD CONSTRAINT "roam_attempts_outcome_check" CHECK (("roam_attempts"."kind" IN ('roam', 'delete') AND ("roam_attempts"."outcome" IS NULL OR "roam_attempts"."outcome" IN ('succeeded', 'failed', 'unknown', 'interrupted'))) OR ("roam_attempts"."kind" = 'check' AND "roam_attempts"."outcome" IN ('present', 'absent', 'error')));--> statement-breakpoint
ALTER TABLE "roam_items" ADD CONSTRAINT "roam_items_status_check" CHECK ("roam_items"."status" IN ('pending', 'in_progress', 'succeeded', 'already_present', 'failed', 'not_sent', 'unknown', 'cancelled'));--> statement-breakpoint
ALTER TABLE "roam_jobs" ADD CONSTRAINT "roam_jobs_kind_check" CHECK ("roam_jobs"."kind" IN ('roam', 'undo'));--> statement-breakpoint
ALTER TABLE "roam_jobs" ADD CONSTRAINT "roam_jobs_undo_check" CHECK (("roam_jobs"."kind" = 'undo') = ("roam_jobs"."undoes_job_id" IS NOT NULL));--> statement-breakpoint
ALTER TABLE "roam_jobs" ADD CONSTRAINT "roam_jobs_cancelled_check" CHECK (("roam_jobs"."cancelled_at" IS NULL) = ("roam_jobs"."cancelled_by" IS NULL) AND ("roam_jobs"."status" <> 'cancelled' OR "roam_jobs"."cancelled_at" IS NOT NULL));--> statement-breakpoint
ALTER TABLE "roam_jobs" ADD CONSTRAINT "roam_jobs_status_check" CHECK ("roam_jobs"."status" IN ('running', 'completed', 'cancelled'));--> statement-breakpoint
ALTER TABLE "roam_jobs" ADD CONSTRAINT "roam_jobs_finished_check" CHECK (("roam_jobs"."status" IN ('completed', 'cancelled')) = ("roam_jobs"."finished_at" IS NOT NULL));