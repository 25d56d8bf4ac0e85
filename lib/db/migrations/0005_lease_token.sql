ALTER TABLE "roam_items" DROP CONSTRAINT "roam_items_lease_check";--> statement-breakpoint
ALTER TABLE "roam_items" ADD COLUMN "lease_token" uuid;--> statement-breakpoint
-- Items leased when the upgrade runs keep their lease, under a token of their own.
UPDATE "roam_items" SET "lease_token" = gen_random_uuid() WHERE "status" = 'in_progress';--> statement-breakpoint
ALTER TABLE "roam_items" ADD CONSTRAINT "roam_items_lease_check" CHECK (("roam_items"."status" = 'in_progress') = ("roam_items"."lease_owner" IS NOT NULL AND "roam_items"."lease_expires_at" IS NOT NULL AND "roam_items"."lease_token" IS NOT NULL));