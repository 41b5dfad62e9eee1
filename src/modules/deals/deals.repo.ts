import { sql } from "drizzle-orm";
import { auditInsertSelect, auditRow, isoSql } from "../../core/audit";
import type { TenantContext } from "../../core/context";
import { uuidv7 } from "../../core/ids";
import type { AnyResource } from "../../core/resource/declaration";
import { auditValues, live, missingReference, param, projection, visible } from "../../core/resource/sql";
import { type WriteOutcome, type WriteResultRow, writeOutcome } from "../../core/resource/statements";
import { DEAL_STAGES } from "../../db/schema";
import { dealResource } from "./deals.resource";
import type { ActivityItem } from "./deals.schemas";

/** What a deal write tells the rollups about the deal before it (the cells it may leave). */
export interface DealBefore {
  owner_id: string;
  closed_at: string | null;
}

const STAGES = sql.raw(`array[${DEAL_STAGES.map((s) => `'${s}'`).join(", ")}]::text[]`);
const rank = (stage: string) => sql`array_position(${STAGES}, ${sql.raw(stage)})`;

/** The fields a deal update sets directly; stage and status are planned by the statement. */
const PLANNED = new Set(["stage", "status", "closed_at"]);

/**
 * A deal update in ONE statement (the kit's versioned write, plus the pipeline): `plan` derives
 * the new stage and status (won/lost imply closed; a stage before closed on a closed deal reopens
 * it; reopening without a stage goes back to negotiation) and the refusal — a missing reference,
 * `amount` (won with amount ≤ 0), `rollback` (an earlier stage without `canRollback`) —; the
 * UPDATE is conditional on the version `cur` read, so of two concurrent writers exactly one wins
 * (the other finds no row); the `change` activity (who, from, to) and the audit row are written
 * from the UPDATE's own result, so an activity exists exactly when the change does. The activity's
 * `created_at` is `clock_timestamp()`, not `now()`: `now()` is when the statement's transaction
 * began, which may precede the snapshot — a racer that began first but saw the other's committed
 * change would otherwise sort before it, and the chain (newest first) would contradict the deal.
 */
export async function updateDealRow(
  ctx: TenantContext,
  id: string,
  values: Record<string, unknown>,
  expectedVersion: number | undefined,
  canRollback: boolean,
): Promise<WriteOutcome<DealRow> & { before: DealBefore | null }> {
  const res: AnyResource = dealResource;
  const keys = Object.keys(res.fields).filter((key) => values[key] !== undefined);
  const sets = keys
    .filter((key) => !PLANNED.has(key))
    .map((key) => {
      const f = res.fields[key];
      if (!f) throw new Error(`unknown field ${key}`);
      return sql`${sql.identifier(f.column.name)} = ${param(f.column, values[key])}, `;
    });
  const audited = [...new Set([...keys, "stage", "status", "closed_at"])];
  const closedAt = sql`${values.closed_at ?? null}::timestamptz`;
  const stage = sql`${values.stage ?? null}::text`;
  const status = sql`${values.status ?? null}::text`;
  const amount = values.amount === undefined ? sql`cur.amount` : sql`${values.amount}::numeric`;
  const rollback = canRollback
    ? sql`null::text`
    : sql`case when ${rank("g.stage")} < ${rank("cur.stage")} then 'rollback' end`;
  const activityId = uuidv7();
  const audit = auditRow(ctx, { action: "deal.update", entityType: "deal", entityId: id });
  const result = await ctx.db.execute<WriteResultRow<DealRow> & { before: DealBefore | null }>(sql`
    with cur as (
      select * from deals c where ${visible(ctx, res, "c")} and c.id = ${id}::uuid and ${live("c")}
    ),
    s as (
      select cur.id, coalesce(${status}, case when ${stage} is not null and ${stage} <> 'closed' then 'open' else cur.status end) as status
      from cur
    ),
    g as (
      select s.id, s.status, coalesce(${stage}, case when s.status <> 'open' then 'closed'
        when cur.stage = 'closed' then 'negotiation' else cur.stage end) as stage
      from s, cur
    ),
    plan as (
      select g.id, g.stage, g.status, coalesce(${missingReference(ctx, res, values)},
        case when g.status = 'won' and ${amount} <= 0 then 'amount' end,
        ${rollback}) as missing
      from g, cur
    ),
    upd as (
      update deals t set ${sql.join(sets, sql``)}stage = plan.stage, status = plan.status,
        closed_at = case when plan.status = 'open' then null when ${closedAt} is not null then ${closedAt}
          when t.status = 'open' then now() else t.closed_at end,
        version = t.version + 1, updated_at = now()
      from plan, cur
      where t.tenant_id = ${ctx.tenantId}::uuid and t.id = plan.id and t.deleted_at is null
        and plan.missing is null and t.version = ${expectedVersion ?? null}::int is not false
        and t.version = cur.version
      returning t.*
    ),
    act as (
      insert into deal_activities (tenant_id, id, deal_id, kind, actor_id, from_stage, to_stage, from_status, to_status, created_at)
      select upd.tenant_id, ${activityId}::uuid, upd.id, 'change', ${ctx.userId}::uuid, cur.stage, upd.stage, cur.status, upd.status,
        clock_timestamp()
      from upd, cur where upd.stage <> cur.stage or upd.status <> cur.status
    ),
    aud as (${auditInsertSelect(audit, { old: auditValues(res, "cur", audited), new: auditValues(res, "upd", audited) }, sql`from upd, cur`)})
    select exists (select 1 from cur) as found, (select version from cur) as current_version,
      (select missing from plan) as refusal, (select ${projection(res, "upd")} from upd) as row,
      (select json_build_object('owner_id', cur.owner_id, 'closed_at', ${isoSql(sql`cur.closed_at`)}) from cur) as before`);
  const row = result.rows[0];
  return { ...writeOutcome(row), before: row?.before ?? null };
}

/** A deal as the API shows it (what the rollup event needs of it). */
export interface DealRow {
  id: string;
  version: number;
  owner_id: string;
  closed_at: string | null;
}

/**
 * A deal's activities, newest first, with their total, when the deal is a live row the caller
 * may see; one query. `found` false: a 404 for the caller.
 */
export async function activitiesOf(
  ctx: TenantContext,
  dealId: string,
  page: number,
  pageSize: number,
): Promise<{ found: boolean; total: number; items: ActivityItem[] }> {
  const result = await ctx.db.execute<{ found: boolean; total: number; items: ActivityItem[] }>(sql`
    with d as (
      select p.id from deals p where ${visible(ctx, dealResource, "p")} and p.id = ${dealId}::uuid and ${live("p")}
    ),
    a as (select * from deal_activities t where t.tenant_id = ${ctx.tenantId}::uuid and t.deal_id = (select id from d))
    select exists (select 1 from d) as found, (select count(*)::int from a) as total,
      coalesce((select json_agg(x.j order by x.created_at desc, x.id desc) from (
        select ${activityJson("a")} as j, a.created_at, a.id from a
        order by a.created_at desc, a.id desc limit ${pageSize} offset ${(page - 1) * pageSize}
      ) x), '[]'::json) as items`);
  const row = result.rows[0];
  return { found: row?.found === true, total: row?.total ?? 0, items: row?.items ?? [] };
}

function activityJson(alias: string) {
  const a = sql.raw(alias);
  return sql`json_build_object('id', ${a}.id, 'deal_id', ${a}.deal_id, 'kind', ${a}.kind, 'actor_id', ${a}.actor_id,
    'from_stage', ${a}.from_stage, 'to_stage', ${a}.to_stage, 'from_status', ${a}.from_status,
    'to_status', ${a}.to_status, 'body', ${a}.body, 'created_at', ${isoSql(sql`${a}.created_at`)})`;
}

/** A comment on a live deal the caller may see, and its audit row: one statement; null when there is no such deal. */
export async function insertComment(
  ctx: TenantContext,
  dealId: string,
  body: string,
): Promise<ActivityItem | null> {
  const id = uuidv7();
  const audit = auditRow(ctx, { action: "deal.comment", entityType: "deal", entityId: dealId });
  const result = await ctx.db.execute<{ row: ActivityItem | null }>(sql`
    with d as (
      select p.id from deals p where ${visible(ctx, dealResource, "p")} and p.id = ${dealId}::uuid and ${live("p")}
    ),
    ins as (
      insert into deal_activities (tenant_id, id, deal_id, kind, actor_id, body, created_at)
      select ${ctx.tenantId}::uuid, ${id}::uuid, d.id, 'comment', ${ctx.userId}::uuid, ${body}::text, clock_timestamp() from d
      returning *
    ),
    aud as (${auditInsertSelect(audit, { old: sql`null::jsonb`, new: sql`jsonb_build_object('comment', ins.body, 'activity_id', ins.id)` }, sql`from ins`)})
    select (select ${activityJson("ins")} from ins) as row`);
  return result.rows[0]?.row ?? null;
}
