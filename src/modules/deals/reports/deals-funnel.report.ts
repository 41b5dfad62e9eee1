import { sql } from "drizzle-orm";
import { z } from "zod";
import { DEAL_STAGES } from "../../../db/schema";
import { percent, rangeSchema } from "../../analytics";
import { CREATED_IN_RANGE, cellsInRange, defineDealReport, round2 } from "./parts";

const funnelSchema = z
  .object({
    range: rangeSchema,
    stages: z.array(
      z.object({
        stage: z.enum(DEAL_STAGES),
        reached: z
          .number()
          .int()
          .describe("Deals that got at least this far (their furthest stage is this or later)"),
        current: z.number().int().describe("Deals in this stage now"),
        conversion_to_next: z
          .number()
          .nullable()
          .describe(
            "reached of the next stage / reached of this one, in percent (two decimals); null for closed or nothing reached",
          ),
        average_days: z
          .number()
          .nullable()
          .describe(
            "Mean length of the finished stays in this stage, in days (two decimals); null without one",
          ),
      }),
    ),
  })
  .openapi("DealsFunnel");

type FunnelRow = {
  start_date: string;
  end_date: string;
  timezone: string;
  stages: { stage: string; reached: number; stays: number; secs: number }[] | null;
  current: { stage: string; n: number }[] | null;
};

/** `GET /api/analytics/deals/funnel` (seed 004). One statement over the deal rollups. */
export const dealsFunnelReport = defineDealReport({
  path: "/funnel",
  summary: "Deals funnel by stage",
  description: `Per stage in order (qualification → proposal → negotiation → closed), for ${CREATED_IN_RANGE}: how many reached it, how many are in it now, the conversion to the next stage and the average days in it (finished stays: from entering to the next stage change). \`owner_id\` narrows it.`,
  response: z.object({ data: funnelSchema }),
  statement: (ctx, query) => sql`
      s as (
        select x.stage, sum(x.reached)::int as reached, sum(x.stays)::int as stays, sum(x.stay_seconds)::float8 as secs
        from ${cellsInRange(ctx, query, "deal_stage_daily_rollups")}
        group by x.stage
      ),
      c as (
        select x.stage, sum(x.deals)::int as n
        from ${cellsInRange(ctx, query, "deal_daily_rollups")}
        group by x.stage
      )
      select rng.s::text as start_date, rng.e::text as end_date, rng.tz as timezone,
        (select json_agg(json_build_object('stage', s.stage, 'reached', s.reached, 'stays', s.stays, 'secs', s.secs)) from s) as stages,
        (select json_agg(json_build_object('stage', c.stage, 'n', c.n)) from c) as current
      from rng`,
  answer(row: FunnelRow, range) {
    const reachedOf = (stage: string | undefined) => row.stages?.find((x) => x.stage === stage)?.reached ?? 0;
    const stages = DEAL_STAGES.map((stage, i) => {
      const s = row.stages?.find((x) => x.stage === stage);
      const next = DEAL_STAGES[i + 1];
      return {
        stage,
        reached: s?.reached ?? 0,
        current: row.current?.find((x) => x.stage === stage)?.n ?? 0,
        conversion_to_next: next === undefined ? null : round2(percent(reachedOf(next), s?.reached ?? 0)),
        average_days: s?.stays ? round2(s.secs / s.stays / 86_400) : null,
      };
    });
    return { data: { range, stages } };
  },
});
