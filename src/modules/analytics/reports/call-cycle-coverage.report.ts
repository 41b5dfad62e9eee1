import { sql } from "drizzle-orm";
import { z } from "zod";
import { decodeCursor, encodeCursor } from "../../../core/pagination";
import {
  daysFrom,
  plannedCallDetails,
  plannedCallInScope,
  plannedCallStates,
  spanOr,
} from "../../call-cycles";
import { rangeQuery, rangeSchema } from "../range";
import { defineReport } from "../report";
import { rangeCte } from "../sql-parts";

/** Longest range of the heatmap (days): a quarter, 13 ISO weeks and a day. */
const MAX_COVERAGE_DAYS = 92;

/** Shops per page with `group_by=shop`: 50 by default, at most 200. */
const DEFAULT_SHOPS = 50;
const MAX_SHOPS = 200;

/** A page's position: the last shop sent, by (lower(name), id). */
const shopPosition = z.object({ n: z.string(), i: z.uuid() });

const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

const cellSchema = z.object({
  shop_id: z.uuid().nullable().describe("With group_by=shop"),
  shop_name: z.string().nullable(),
  region: z
    .string()
    .nullable()
    .describe("The shop's region (group_by=region: the group; null: shops without one)"),
  week_start: z.iso.date().describe("Monday of the ISO week (cells clipped to the range)"),
  iso_week: z.string().describe("ISO week, e.g. 2026-W10"),
  planned: z.number().int().describe("Calls planned in the week (within the range)"),
  done: z.number().int().describe("Of those, done or late (a completed visit by an assignee that day)"),
  missed: z.number().int().describe("Of those, days passed without a completed visit"),
  upcoming: z.number().int().describe("Of those, today or later and not done yet"),
  coverage: z.number().nullable().describe("done ÷ planned × 100, 2 decimals; null when nothing is planned"),
});

type CoverageRow = {
  start_date: string;
  end_date: string;
  timezone: string;
  cells: Omit<z.infer<typeof cellSchema>, "coverage">[];
  /** group_by=shop: the page's last shop, and whether another page follows. */
  last: z.infer<typeof shopPosition> | null;
  more: boolean;
};

export const callCycleCoverageReport = defineReport({
  path: "/call_cycle_coverage",
  summary: "Call-cycle coverage heatmap (shop or region × ISO week)",
  description: `For managers: every call planned by the active call cycles in your data scope (a cycle whose owner or creator, or a call whose assigned agent or team member, is someone you see) from \`start_date\` to \`end_date\` (ISO dates, inclusive, tenant time zone; default the last 30 days; at most ${MAX_COVERAGE_DAYS} days), per shop (\`group_by=shop\`, the default) or per shop region (\`group_by=region\`) and ISO week: \`planned\`, \`done\` (done or late, as in GET /api/call_cycles/{id}/status), \`missed\`, \`upcoming\`, and \`coverage\` = done ÷ planned × 100 (2 decimals). Planned calls are expanded from the plan tables; completions come from the per-shop daily visit rollup (never raw visits), in one round trip. With \`group_by=shop\` the heatmap is paged by shop (in name order, \`page_size\` shops a page, default ${DEFAULT_SHOPS}, at most ${MAX_SHOPS}): the shops with a live location of an active cycle in your scope overlapping the range; \`pagination.next_cursor\` (null on the last page) is the \`cursor\` of the next page. A shop without a call in the range has no cells.`,
  permission: "analytics:coverage",
  query: z
    .strictObject({
      ...rangeQuery,
      group_by: z.enum(["shop", "region"]).default("shop").describe("Rows per shop (default) or per region"),
      page_size: z.coerce
        .number()
        .int()
        .min(1)
        .max(MAX_SHOPS)
        .default(DEFAULT_SHOPS)
        .describe(`Shops per page with group_by=shop (default ${DEFAULT_SHOPS}, at most ${MAX_SHOPS})`),
      cursor: z
        .string()
        .min(1)
        .max(500)
        .optional()
        .describe("`pagination.next_cursor` of the previous page (group_by=shop)"),
    })
    .superRefine((q, ctx) => {
      if (q.start_date === undefined || q.end_date === undefined) return;
      const days = dayNumber(q.end_date) - dayNumber(q.start_date) + 1;
      if (days < 1)
        ctx.addIssue({
          code: "custom",
          path: ["start_date"],
          message: "`start_date` must not be after `end_date`",
        });
      else if (days > MAX_COVERAGE_DAYS) {
        ctx.addIssue({
          code: "custom",
          path: ["end_date"],
          message: `A range spans at most ${MAX_COVERAGE_DAYS} days`,
        });
      }
    }),
  response: z.object({
    data: z
      .object({ range: rangeSchema, group_by: z.enum(["shop", "region"]), cells: z.array(cellSchema) })
      .openapi("CallCycleCoverage"),
    pagination: z.object({
      page_size: z.number().int().nullable().describe("Shops per page (null with group_by=region: one page)"),
      next_cursor: z.string().nullable().describe("The `cursor` of the next page; null on the last"),
    }),
  }),
  async run(ctx, query) {
    const byShop = query.group_by === "shop";
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, shopPosition);
    const start = sql`(select s from rng)`;
    const today = sql`(select (now() at time zone tz)::date from rng)`;
    // group_by=shop: this page's shops (one more tells whether another page follows), picked from
    // the live locations of active cycles in scope that overlap the range, so the plan below is
    // expanded for those shops only.
    const pageShops = sql`
      select s.id, lower(s.name) as n
      from shops s
      where s.tenant_id = ${ctx.tenantId} and s.deleted_at is null
        ${after ? sql`and (lower(s.name), s.id) > (${after.n}, ${after.i}::uuid)` : sql``}
        and exists (
          select 1 from call_cycle_locations l
          join call_cycles c on c.tenant_id = l.tenant_id and c.id = l.call_cycle_id
            and c.deleted_at is null and c.is_active
          where l.tenant_id = ${ctx.tenantId} and l.shop_id = s.id and l.deleted_at is null
            and ${plannedCallInScope(ctx)}
            and c.start_date <= (select e from rng) and (c.end_date is null or c.end_date >= (select s from rng)))
      order by lower(s.name), s.id
      limit ${query.page_size + 1}`;
    const where = byShop
      ? sql`${plannedCallInScope(ctx)} and l.shop_id in (select id from pg where rn <= ${query.page_size})`
      : plannedCallInScope(ctx);
    const calls = plannedCallDetails(
      ctx,
      plannedCallStates(ctx, daysFrom(start, spanOr(query.start_date, query.end_date, 30)), where, today),
    );
    const groupCols = byShop ? sql`q.shop_id, q.shop_name, q.shop_region` : sql`q.shop_region`;
    const result = await ctx.db.execute<CoverageRow>(sql`
      with ${rangeCte(ctx, query)},
      pg as (${
        byShop
          ? sql`select x.id, x.n, row_number() over (order by x.n, x.id) as rn from (${pageShops}) x`
          : sql`select null::uuid as id, null::text as n, 0::bigint as rn where false`
      }),
      q as (${calls}),
      cell as (
        select ${byShop ? sql`q.shop_id, q.shop_name,` : sql`null::uuid as shop_id, null::text as shop_name,`}
          q.shop_region as region, (q.day - extract(isodow from q.day)::int + 1) as week_start,
          count(*)::int as planned, count(*) filter (where q.state in ('done', 'late'))::int as done,
          count(*) filter (where q.state = 'missed')::int as missed,
          count(*) filter (where q.state = 'upcoming')::int as upcoming
        from q
        group by ${groupCols}, week_start
      )
      select rng.s::text as start_date, rng.e::text as end_date, rng.tz as timezone,
        coalesce((select json_agg(json_build_object('shop_id', cell.shop_id, 'shop_name', cell.shop_name,
          'region', cell.region, 'week_start', cell.week_start::text, 'iso_week', to_char(cell.week_start, 'IYYY-"W"IW'),
          'planned', cell.planned, 'done', cell.done, 'missed', cell.missed, 'upcoming', cell.upcoming)
          order by lower(cell.shop_name), cell.region nulls last, cell.shop_id, cell.week_start) from cell), '[]'::json) as cells,
        (select json_build_object('n', pg.n, 'i', pg.id) from pg where pg.rn = ${query.page_size}) as last,
        exists (select 1 from pg where pg.rn > ${query.page_size}) as more
      from rng`);
    const row = result.rows[0];
    if (!row) throw new Error("the coverage statement returned no row");
    return {
      data: {
        range: { start_date: row.start_date, end_date: row.end_date, timezone: row.timezone },
        group_by: query.group_by,
        cells: row.cells.map((c) => ({
          ...c,
          coverage: c.planned > 0 ? Math.round((10_000 * c.done) / c.planned) / 100 : null,
        })),
      },
      pagination: {
        page_size: byShop ? query.page_size : null,
        next_cursor: byShop && row.more && row.last ? encodeCursor(row.last) : null,
      },
    };
  },
});
