import { sql } from "drizzle-orm";
import { z } from "zod";
import { paginationSchema } from "../../../core/openapi";
import { decodeCursor, encodeCursor, includeTotalQuery, pageSizeQuery } from "../../../core/pagination";
import { checkRange, rangeQuery, rangeSchema } from "../range";
import { defineReport } from "../report";
import { rangeCte } from "../sql-parts";

const userActivitySchema = z.object({
  user_id: z.uuid(),
  email: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  status: z.enum(["active", "disabled"]).describe("The membership's status in this tenant"),
  last_login_at: z.iso.datetime().nullable(),
  last_activity_at: z.iso.datetime().nullable().describe("Latest visit start, completion or photo, ever"),
  visits_started: z.number().int().describe("In the range"),
  surveys_completed: z.number().int().describe("Visits completed (each completes its survey) in the range"),
  photos: z.number().int().describe("Photos registered on the range's visits"),
});

type ActivityRow = {
  user_id: string;
  email: string;
  first_name: string;
  last_name: string;
  status: "active" | "disabled";
  last_login_at: string | null;
  last_activity_at: string | null;
  visits_started: number;
  surveys_completed: number;
  photos: number;
};

type PageRow = {
  start_date: string;
  end_date: string;
  timezone: string;
  total: number | null;
  items: ActivityRow[];
};

const cursorSchema = z.tuple([z.uuid()]).transform(([id]) => id);

const iso = (column: string) =>
  sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

export const userActivityReport = defineReport({
  path: "/users/activity",
  summary: "Platform usage per user (admin)",
  description:
    "Every member of the tenant (ordered by user id) with their last login, last activity (latest visit start, completion or photo, from the rollups) and, over `start_date`..`end_date` (ISO dates, inclusive, tenant's time zone; default the last 30 days), visits started, surveys completed and photos. Keyset paging with `cursor` (`pagination.next_cursor`) or offset paging with `page`; `include_total=true` counts the members. One round trip.",
  permission: "admin:reports",
  query: z
    .strictObject({
      ...rangeQuery,
      cursor: z.string().min(1).max(200).optional().describe("`pagination.next_cursor` of the previous page"),
      page: z.coerce.number().int().min(1).max(10_000).optional().describe("Page number (offset paging)"),
      page_size: pageSizeQuery,
      include_total: includeTotalQuery,
    })
    .superRefine((q, ctx) => {
      checkRange(q, ctx);
      if (q.cursor !== undefined && q.page !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["cursor"],
          message: "Send either `cursor` or `page`, not both",
        });
      }
    }),
  response: z.object({
    data: z.array(userActivitySchema),
    pagination: paginationSchema,
    range: rangeSchema,
  }),
  async run(ctx, query) {
    const after = query.cursor ? decodeCursor(query.cursor, cursorSchema) : null;
    const page = query.page ?? 1;
    const offset = after ? 0 : (page - 1) * query.page_size;
    const result = await ctx.db.execute<PageRow>(sql`
      with ${rangeCte(ctx, query)},
      members as (
        select m.user_id, m.status, u.email, u.first_name, u.last_name, u.last_login_at
        from memberships m join users u on u.id = m.user_id
        where m.tenant_id = ${ctx.tenantId} ${after ? sql`and m.user_id > ${after}` : sql``}
        order by m.user_id
        limit ${query.page_size + 1} offset ${offset}
      )
      select rng.s::text as start_date, rng.e::text as end_date, rng.tz as timezone,
        ${query.include_total ? sql`(select count(*)::int from memberships m where m.tenant_id = ${ctx.tenantId})` : sql`null::int`} as total,
        coalesce((select json_agg(json_build_object(
            'user_id', mb.user_id, 'email', mb.email, 'first_name', mb.first_name, 'last_name', mb.last_name,
            'status', mb.status, 'last_login_at', ${iso("mb.last_login_at")},
            'last_activity_at', ${iso("la.at")},
            'visits_started', coalesce(agg.started, 0), 'surveys_completed', coalesce(agg.completed, 0),
            'photos', coalesce(agg.photos, 0)) order by mb.user_id)
          from members mb
          left join lateral (
            select sum(a.started)::float8 as started, sum(a.completed)::float8 as completed,
              sum(a.photos)::float8 as photos
            from visit_agent_daily_rollups a
            where a.tenant_id = ${ctx.tenantId} and a.agent_id = mb.user_id and a.day between rng.s and rng.e
          ) agg on true
          left join lateral (
            select max(a.last_activity_at) as at from visit_agent_daily_rollups a
            where a.tenant_id = ${ctx.tenantId} and a.agent_id = mb.user_id
          ) la on true), '[]'::json) as items
      from rng`);
    const row = result.rows[0];
    if (!row) throw new Error("the user activity statement returned no row");
    const items = row.items.slice(0, query.page_size);
    const last = items.at(-1);
    const total = row.total;
    return {
      data: items,
      pagination: {
        page: after ? 1 : page,
        page_size: query.page_size,
        total,
        pages: total === null ? null : Math.ceil(total / query.page_size),
        next_cursor: row.items.length > query.page_size && last ? encodeCursor([last.user_id]) : null,
      },
      range: { start_date: row.start_date, end_date: row.end_date, timezone: row.timezone },
    };
  },
});
