CREATE TABLE "oidc_logins" (
	"id" text PRIMARY KEY NOT NULL,
	"binding_hash" text NOT NULL,
	"code_verifier" text NOT NULL,
	"nonce" text NOT NULL,
	"return_to" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "oidc_logins_id_check" CHECK ("oidc_logins"."id" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "oidc_logins_binding_hash_check" CHECK ("oidc_logins"."binding_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "user_events" DROP CONSTRAINT "user_events_action_check";--> statement-breakpoint
DROP INDEX "users_email_idx";--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "password_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "oidc_issuer" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "oidc_subject" text;--> statement-breakpoint
CREATE INDEX "oidc_logins_expires_at_idx" ON "oidc_logins" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_oidc_identity_idx" ON "users" USING btree ("oidc_issuer","oidc_subject") WHERE "users"."oidc_issuer" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_idx" ON "users" USING btree ("email") WHERE "users"."oidc_issuer" IS NULL;--> statement-breakpoint
ALTER TABLE "user_events" ADD CONSTRAINT "user_events_action_check" CHECK ("user_events"."action" IN ('created', 'role_changed', 'disabled', 'enabled', 'password_reset', 'signed_in', 'signed_out', 'email_changed'));--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_identity_check" CHECK (("users"."password_hash" IS NOT NULL AND "users"."oidc_issuer" IS NULL AND "users"."oidc_subject" IS NULL) OR ("users"."password_hash" IS NULL AND "users"."oidc_issuer" IS NOT NULL AND "users"."oidc_subject" IS NOT NULL));