-- Fills the coarse rollups' new answered column (0013) from visit_activity_daily_rollups (filled by
-- 0012); from here on the queue and the crons keep it (src/modules/visits/visits.rollups.sql.mjs).
UPDATE "visit_agent_daily_rollups" r SET "answered" = c.n
FROM (
  SELECT "tenant_id", "day", "agent_id", sum("answered")::int AS n
  FROM "visit_activity_daily_rollups" GROUP BY 1, 2, 3
) c
WHERE r.tenant_id = c.tenant_id AND r.day = c.day AND r.agent_id = c.agent_id;
--> statement-breakpoint
UPDATE "visit_tenant_daily_rollups" r SET "answered" = c.n
FROM (
  SELECT "tenant_id", "day", sum("answered")::int AS n
  FROM "visit_activity_daily_rollups" GROUP BY 1, 2
) c
WHERE r.tenant_id = c.tenant_id AND r.day = c.day;
