CREATE TABLE "rate_budgets" (
	"key" text PRIMARY KEY NOT NULL,
	"rate" double precision NOT NULL,
	"next_slot_at" timestamp with time zone DEFAULT now() NOT NULL,
	"paused_until" timestamp with time zone DEFAULT now() NOT NULL,
	"throttled_in_a_row" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rate_budgets_rate_check" CHECK ("rate_budgets"."rate" > 0),
	CONSTRAINT "rate_budgets_throttled_check" CHECK ("rate_budgets"."throttled_in_a_row" >= 0)
);
