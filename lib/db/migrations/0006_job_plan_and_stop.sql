ALTER TABLE "roam_items" DROP CONSTRAINT "roam_items_status_check";--> statement-breakpoint
ALTER TABLE "roam_jobs" ADD COLUMN "stopped_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "roam_jobs" ADD COLUMN "stopped_code" text;--> statement-breakpoint
ALTER TABLE "roam_jobs" ADD COLUMN "stopped_message" text;--> statement-breakpoint
ALTER TABLE "roam_jobs" ADD COLUMN "stopped_request_id" text;--> statement-breakpoint
ALTER TABLE "roam_jobs" ADD COLUMN "plan" jsonb;--> statement-breakpoint
ALTER TABLE "roam_items" ADD CONSTRAINT "roam_items_status_check" CHECK ("roam_items"."status" IN ('pending', 'in_progress', 'succeeded', 'already_present', 'failed', 'not_sent', 'unknown'));