import { type SQL, sql } from "drizzle-orm";
import {
  canGrant,
  DATA_SCOPES,
  type DataScope,
  SYSTEM_ROLE_NAMES,
  SYSTEM_ROLES,
} from "../../core/auth/permissions";
import type { TenantContext } from "../../core/context";

/** The rank of a data scope: own < team < subtree < tenant. */
export function scopeRank(scope: DataScope): number {
  return DATA_SCOPES.indexOf(scope);
}

/**
 * SQL boolean: whether the caller may grant — or take away — the `roles` row aliased `alias`
 * (the no-escalation rule of `canGrant`, evaluated inside the statement so the check and the
 * write share one round trip). System roles are judged by the code's catalogue, never their
 * stored arrays (which may be stale); only an owner deals in `owner`; a custom role must grant
 * nothing the caller's token lacks and no wider scope.
 */
export function grantableSql(ctx: TenantContext, alias: string): SQL {
  if (ctx.isSuperAdmin) return sql`true`;
  const r = sql.raw(alias);
  const systemNames = [...SYSTEM_ROLE_NAMES];
  const grantableSystem = systemNames.filter((name) =>
    canGrant(ctx, { name, isSystem: true, permissions: [], scope: SYSTEM_ROLES[name].scope }),
  );
  return sql`(case when ${r}.is_system and ${r}.name = any(${sql.param(systemNames)}::text[])
      then ${r}.name = any(${sql.param(grantableSystem)}::text[])
      else ${r}.permissions <@ ${sql.param([...ctx.permissions])}::text[]
        and array_position(${sql.param([...DATA_SCOPES])}::text[], ${r}.scope) - 1 <= ${scopeRank(ctx.scope)}
    end)`;
}

/**
 * SQL boolean: whether the caller may manage the member `userColumn` of the tenant — change
 * their email or active flag, disable them, change their roles. True when every role the member
 * holds is one the caller could grant, so an admin cannot disable an owner or take over a
 * stronger account by changing its email.
 */
export function manageableSql(ctx: TenantContext, userColumn: SQL): SQL {
  if (ctx.isSuperAdmin) return sql`true`;
  return sql`not exists (
    select 1 from user_roles gur
    join roles gr on gr.tenant_id = gur.tenant_id and gr.id = gur.role_id
    where gur.tenant_id = ${ctx.tenantId} and gur.user_id = ${userColumn} and not ${grantableSql(ctx, "gr")})`;
}
