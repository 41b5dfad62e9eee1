-- Fills the coarse rollups (0009) from the fine ones that already exist; from here on the queue
-- and the crons keep them (src/modules/visits/visits.rollups.ts, src/modules/photos/shelf-share.rollups.ts).
INSERT INTO "visit_agent_daily_rollups" ("tenant_id", "day", "agent_id", "started", "completed", "outside_geofence",
  "duration_seconds", "answers", "photos", "shelf_photos", "shelf_area", "last_activity_at")
SELECT "tenant_id", "day", "agent_id", sum("started"), sum("completed"), sum("outside_geofence"),
  sum("duration_seconds"), sum("answers"), sum("photos"), sum("shelf_photos"), sum("shelf_area"), max("last_activity_at")
FROM "visit_activity_daily_rollups"
GROUP BY "tenant_id", "day", "agent_id"
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "visit_tenant_daily_rollups" ("tenant_id", "day", "started", "completed", "outside_geofence",
  "duration_seconds", "answers", "photos", "shelf_photos", "shelf_area", "last_activity_at")
SELECT "tenant_id", "day", sum("started"), sum("completed"), sum("outside_geofence"),
  sum("duration_seconds"), sum("answers"), sum("photos"), sum("shelf_photos"), sum("shelf_area"), max("last_activity_at")
FROM "visit_activity_daily_rollups"
GROUP BY "tenant_id", "day"
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "brand_shelf_tenant_daily_rollups" ("tenant_id", "day", "brand_id", "photos", "brand_area")
SELECT "tenant_id", "day", "brand_id", sum("photos"), sum("brand_area")
FROM "brand_shelf_daily_rollups"
GROUP BY "tenant_id", "day", "brand_id"
ON CONFLICT DO NOTHING;
