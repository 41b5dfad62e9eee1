-- Fills visit_activity_daily_rollups.answered (0011: completed visits with at least one answer) for
-- the cells that existed before the column did, from the source rows, exactly as
-- VISIT_ACTIVITY_UPSERT computes it (the tenant-local day of the visit's start); from here on the
-- queue and the crons keep it (src/modules/visits/visits.rollups.sql.mjs).
UPDATE "visit_activity_daily_rollups" r SET "answered" = c.n
FROM (
  SELECT v.tenant_id, (v.started_at AT TIME ZONE coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date AS day,
    v.agent_id, coalesce(v.shop_id, '00000000-0000-0000-0000-000000000000'::uuid) AS shop_id, v.survey_id,
    count(*)::int AS n
  FROM "visits" v JOIN "tenants" t ON t.id = v.tenant_id
  WHERE v.status = 'completed'
    AND EXISTS (SELECT 1 FROM "visit_answers" a WHERE a.tenant_id = v.tenant_id AND a.visit_id = v.id)
  GROUP BY 1, 2, 3, 4, 5
) c
WHERE r.tenant_id = c.tenant_id AND r.day = c.day AND r.agent_id = c.agent_id AND r.shop_id = c.shop_id
  AND r.survey_id = c.survey_id;
