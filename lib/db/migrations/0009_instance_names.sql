ALTER TABLE "roam_jobs" ADD COLUMN "origin_instance_name" text;--> statement-breakpoint
ALTER TABLE "roam_jobs" ADD COLUMN "target_instance_name" text;--> statement-breakpoint
-- Jobs made before: the names their stored plan read, when the plan is of the job's own instances (a name the
-- plan could not read is empty there, and stays null here).
UPDATE "roam_jobs" SET
  "origin_instance_name" = CASE WHEN "plan"->'origin'->>'smartAGId' = "origin_instance_id" THEN NULLIF(btrim("plan"->'origin'->>'name'), '') END,
  "target_instance_name" = CASE WHEN "plan"->'target'->>'smartAGId' = "target_instance_id" THEN NULLIF(btrim("plan"->'target'->>'name'), '') END
WHERE "plan" IS NOT NULL;--> statement-breakpoint
-- An undo job keeps no plan: it has the names of the job it undoes (the same instances).
UPDATE "roam_jobs" AS "undo" SET
  "origin_instance_name" = "source"."origin_instance_name",
  "target_instance_name" = "source"."target_instance_name"
FROM "roam_jobs" AS "source"
WHERE "undo"."undoes_job_id" = "source"."id";
