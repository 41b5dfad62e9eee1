import { sql } from "drizzle-orm";
import { auditInsertSelect, auditRow } from "../../core/audit";
import type { TenantContext } from "../../core/context";
import { uuidv7 } from "../../core/ids";
import { auditValues, projection, visible } from "../../core/resource/sql";
import { type WriteOutcome, type WriteResultRow, writeOutcome } from "../../core/resource/statements";
import { clientResource } from "./clients.resource";
import { leadResource } from "./leads.resource";
import type { ConvertedLead, ConvertLeadInput } from "./leads.schemas";
import { projectResource } from "./projects.resource";

/**
 * Converts a live lead (tenant, caller's scope) in ONE statement: inserts the client (and the
 * project, linked to both), marks the lead `converted` with `converted_at` and the links, and
 * writes the three audit rows. Refusals, nothing written: `converted` (already), `account_id`
 * (not a live account of the tenant). If-Match is checked inside the lead's UPDATE.
 */
export async function convertLeadRow(
  ctx: TenantContext,
  id: string,
  input: ConvertLeadInput,
  expectedVersion: number | undefined,
): Promise<WriteOutcome<ConvertedLead>> {
  const clientId = uuidv7();
  const projectId = input.project ? uuidv7() : null;
  const c = input.client ?? {};
  const p = input.project;
  const versionCheck = expectedVersion === undefined ? sql`` : sql`and t.version = ${expectedVersion}::int`;
  const accountCheck = c.account_id
    ? sql`when not exists (select 1 from accounts a where a.tenant_id = ${ctx.tenantId}::uuid
        and a.id = ${c.account_id}::uuid and a.deleted_at is null) then 'account_id'`
    : sql``;
  const audit = (name: string, verb: string, entityId: string) =>
    auditRow(ctx, { action: `${name}.${verb}`, entityType: name, entityId });
  const result = await ctx.db.execute<WriteResultRow<ConvertedLead>>(sql`
    with cur as (
      select * from leads c where ${visible(ctx, leadResource, "c")} and c.id = ${id}::uuid and c.deleted_at is null
      for update
    ),
    plan as (
      select cur.id, case when cur.lead_status = 'converted' then 'converted' ${accountCheck} end as missing from cur
    ),
    go as (
      select cur.* from cur join plan on plan.id = cur.id
      where plan.missing is null ${expectedVersion === undefined ? sql`` : sql`and cur.version = ${expectedVersion}::int`}
    ),
    cli as (
      insert into clients (tenant_id, id, created_by, name, email, phone, address, status, account_id, assigned_to)
      select go.tenant_id, ${clientId}::uuid, ${ctx.userId}::uuid, coalesce(${c.name ?? null}::text, go.name),
        ${c.email === undefined ? sql`go.email` : sql`${c.email}::text`},
        ${c.phone === undefined ? sql`go.phone` : sql`${c.phone}::text`},
        ${c.address ?? null}::text, ${c.status ?? "active"}::text, ${c.account_id ?? null}::uuid, go.assigned_to
      from go
      returning *
    ),
    prj as (
      insert into projects (tenant_id, id, created_by, name, client_id, lead_id, status, value, currency,
        start_date, end_date, assigned_to)
      select cli.tenant_id, ${projectId}::uuid, ${ctx.userId}::uuid, ${p?.name ?? null}::text, cli.id, go.id,
        ${p?.status ?? "pending"}::text, ${p?.value ?? null}::numeric, ${p?.currency ?? null}::text,
        ${p?.start_date ?? null}::date, ${p?.end_date ?? null}::date, go.assigned_to
      from cli, go where ${projectId !== null}::boolean
      returning *
    ),
    upd as (
      update leads t set lead_status = 'converted', converted_at = now(), converted_client_id = cli.id,
        converted_project_id = (select id from prj), version = t.version + 1, updated_at = now()
      from cli
      where t.tenant_id = ${ctx.tenantId}::uuid and t.id = ${id}::uuid and t.deleted_at is null ${versionCheck}
      returning t.*
    ),
    aud_lead as (${auditInsertSelect(
      audit("lead", "convert", id),
      {
        old: sql`jsonb_build_object('lead_status', cur.lead_status)`,
        new: sql`jsonb_build_object('lead_status', upd.lead_status, 'converted_at', upd.converted_at,
          'converted_client_id', upd.converted_client_id, 'converted_project_id', upd.converted_project_id)`,
      },
      sql`from upd, cur`,
    )}),
    aud_client as (${auditInsertSelect(
      audit("client", "create", clientId),
      { old: sql`null::jsonb`, new: auditValues(clientResource, "cli") },
      sql`from cli`,
    )}),
    aud_project as (${auditInsertSelect(
      audit("project", "create", projectId ?? clientId),
      { old: sql`null::jsonb`, new: auditValues(projectResource, "prj") },
      sql`from prj`,
    )})
    select exists (select 1 from cur) as found, (select version from cur) as current_version,
      (select missing from plan) as refusal,
      (select json_build_object('lead', ${projection(leadResource, "upd")}, 'client', ${projection(clientResource, "cli")},
        'project', (select ${projection(projectResource, "prj")} from prj)) from upd, cli) as row`);
  return writeOutcome(result.rows[0]);
}
