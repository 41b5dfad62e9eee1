import { sql } from "drizzle-orm";
import { z } from "zod";
import { checkRange, rangeQuery, rangeSchema } from "../range";
import { defineReport } from "../report";
import { average, percent, rangeCte, visitActivitySource } from "../sql-parts";

const uuid = z.uuid({ error: "Must be a UUID" });

const bucketSchema = z.object({
  start_date: z.iso.date().describe("First day of the bucket inside the range"),
  end_date: z.iso.date().describe("Last day of the bucket inside the range"),
  visits_started: z.number().int(),
  visits_completed: z.number().int(),
  completion_rate: z.number().nullable().describe("Percent; null without visits"),
  average_visit_duration_seconds: z.number().nullable(),
  geofence_exceptions: z.number().int(),
  photos: z.number().int(),
  answers: z.number().int().describe("Answers given in the completed visits"),
});

type BucketRow = {
  start_date: string;
  end_date: string;
  started: number;
  completed: number;
  outside: number;
  seconds: number;
  photos: number;
  answers: number;
};

type SeriesRow = { start_date: string; end_date: string; timezone: string; buckets: BucketRow[] };

export const visitsSeriesReport = defineReport({
  path: "/visits",
  summary: "Visits over time",
  description:
    "A time series of visits in your data scope for `start_date`..`end_date` (ISO dates, inclusive, tenant's time zone; default the last 30 days) by `interval` (`day`, `week` — ISO weeks starting Monday — or `month`, all in the tenant's time zone). Every bucket of the range is present, with zeros where nothing happened; the first and last buckets are cut to the range. Filters: `agent_id`, `team_id` (the team's direct members), `shop_id`, `region` (of the shop), `survey_id`. Read from the rollup tables in one round trip.",
  permission: "analytics:read",
  query: z
    .strictObject({
      ...rangeQuery,
      interval: z.enum(["day", "week", "month"]).default("day").describe("Bucket size"),
      agent_id: uuid.optional(),
      team_id: uuid.optional(),
      shop_id: uuid.optional(),
      survey_id: uuid.optional(),
      region: z.string().trim().min(1).max(200).optional(),
    })
    .superRefine(checkRange),
  response: z.object({
    data: z.object({
      range: rangeSchema,
      interval: z.enum(["day", "week", "month"]),
      buckets: z.array(bucketSchema),
    }),
  }),
  async run(ctx, query) {
    // The interval is one of three enum values, never caller text.
    const iv = sql.raw(`'${query.interval}'`);
    const activity = visitActivitySource(ctx, "a", query);
    const result = await ctx.db.execute<SeriesRow>(sql`
      with ${rangeCte(ctx, query)},
      b as (
        select g::date as bucket from rng,
          generate_series(date_trunc(${iv}, rng.s::timestamp), rng.e::timestamp, ('1 ' || ${iv})::interval) g
      ),
      agg as (
        select date_trunc(${iv}, a.day::timestamp)::date as bucket,
          sum(a.started)::float8 as started, sum(a.completed)::float8 as completed,
          sum(a.outside_geofence)::float8 as outside, sum(a.duration_seconds)::float8 as seconds,
          sum(a.photos)::float8 as photos, sum(a.answers)::float8 as answers
        from rng join ${activity.table} a
          on a.tenant_id = ${ctx.tenantId} and a.day between rng.s and rng.e
        where ${activity.where}
        group by 1
      )
      select rng.s::text as start_date, rng.e::text as end_date, rng.tz as timezone,
        (select json_agg(json_build_object(
            'start_date', greatest(b.bucket, rng.s)::text,
            'end_date', least((b.bucket + ('1 ' || ${iv})::interval)::date - 1, rng.e)::text,
            'started', coalesce(agg.started, 0), 'completed', coalesce(agg.completed, 0),
            'outside', coalesce(agg.outside, 0), 'seconds', coalesce(agg.seconds, 0),
            'photos', coalesce(agg.photos, 0), 'answers', coalesce(agg.answers, 0)) order by b.bucket)
          from b left join agg on agg.bucket = b.bucket) as buckets
      from rng`);
    const row = result.rows[0];
    if (!row) throw new Error("the visits series statement returned no row");
    return {
      data: {
        range: { start_date: row.start_date, end_date: row.end_date, timezone: row.timezone },
        interval: query.interval,
        buckets: row.buckets.map((b) => ({
          start_date: b.start_date,
          end_date: b.end_date,
          visits_started: b.started,
          visits_completed: b.completed,
          completion_rate: percent(b.completed, b.started),
          average_visit_duration_seconds: average(b.seconds, b.completed),
          geofence_exceptions: b.outside,
          photos: b.photos,
          answers: b.answers,
        })),
      },
    };
  },
});
