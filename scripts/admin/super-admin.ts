import type pg from "pg";
import systemRoles from "../../src/core/auth/system-roles.json";
import { uuidv7 } from "../../src/core/ids";

export interface SuperAdminInput {
  email: string;
  firstName: string;
  lastName: string;
  /** A PBKDF2 hash string (src/core/auth/password.ts); undefined keeps an existing user's password. */
  passwordHash: string | undefined;
  /** Slug of the tenant the admin logs in to (login needs a membership). Created when missing. */
  tenantSlug: string | undefined;
  tenantName: string;
}

export interface SuperAdminResult {
  userId: string;
  created: boolean;
  tenant: { id: string; slug: string; created: boolean } | null;
}

/** The user with this email (case-insensitive), if any. */
export async function findUserByEmail(client: pg.Client, email: string) {
  const found = await client.query<{ id: string; is_super_admin: boolean; is_active: boolean }>(
    "select id, is_super_admin, is_active from users where lower(email) = lower($1)",
    [email],
  );
  return found.rows[0];
}

/** The tenant with this slug, created with the system roles (as registration does) when missing. */
async function ensureTenant(client: pg.Client, slug: string, name: string) {
  const found = await client.query<{ id: string }>("select id from tenants where lower(slug) = lower($1)", [
    slug,
  ]);
  if (found.rows[0]) return { id: found.rows[0].id, slug, created: false };
  const id = uuidv7();
  await client.query("insert into tenants (id, name, slug) values ($1, $2, $3)", [id, name, slug]);
  for (const [role, def] of Object.entries(systemRoles)) {
    await client.query(
      `insert into roles (tenant_id, id, name, description, permissions, scope, is_system)
       values ($1, $2, $3, $4, $5, $6, true)`,
      [id, uuidv7(), role, def.description, def.permissions, def.scope],
    );
  }
  return { id, slug, created: true };
}

/** Makes the user an active owner of the tenant (idempotent). */
async function ensureOwnerMembership(client: pg.Client, tenantId: string, userId: string) {
  await client.query(
    `insert into memberships (tenant_id, user_id) values ($1, $2)
     on conflict (tenant_id, user_id) do update set status = 'active', updated_at = now()`,
    [tenantId, userId],
  );
  await client.query(
    `insert into user_roles (tenant_id, user_id, role_id)
     select $1, $2, id from roles where tenant_id = $1 and name = 'owner'
     on conflict do nothing`,
    [tenantId, userId],
  );
}

/**
 * Creates the platform super admin, or promotes (and re-activates) the user with that email, in one
 * transaction, with a `user.super_admin` row in system_audit. A new user always gets a home tenant
 * (default slug `platform`) so that POST /api/auth/login works; an existing one only when asked.
 */
export async function ensureSuperAdmin(client: pg.Client, input: SuperAdminInput): Promise<SuperAdminResult> {
  await client.query("begin");
  try {
    const existing = await findUserByEmail(client, input.email);
    let userId: string;
    if (existing) {
      userId = existing.id;
      await client.query(
        `update users set is_super_admin = true, is_active = true, updated_at = now(), version = version + 1,
           password_hash = coalesce($2, password_hash),
           password_changed_at = case when $2::text is null then password_changed_at else now() end
         where id = $1`,
        [userId, input.passwordHash ?? null],
      );
    } else {
      if (!input.passwordHash) throw new Error("a new user needs a password");
      userId = uuidv7();
      await client.query(
        `insert into users (id, email, password_hash, first_name, last_name, is_super_admin)
         values ($1, $2, $3, $4, $5, true)`,
        [userId, input.email, input.passwordHash, input.firstName, input.lastName],
      );
    }
    const slug = input.tenantSlug ?? (existing ? undefined : "platform");
    const tenant = slug ? await ensureTenant(client, slug, input.tenantName) : null;
    if (tenant) await ensureOwnerMembership(client, tenant.id, userId);
    await client.query(
      `insert into system_audit (id, tenant_id, action, entity_type, entity_id, old_values, new_values, user_agent)
       values ($1, $2, 'user.super_admin', 'user', $3, $4, $5, 'npm run admin:create')`,
      [
        uuidv7(),
        tenant?.id ?? null,
        userId,
        existing
          ? JSON.stringify({ is_super_admin: existing.is_super_admin, is_active: existing.is_active })
          : null,
        JSON.stringify({
          is_super_admin: true,
          is_active: true,
          password_set: input.passwordHash !== undefined,
        }),
      ],
    );
    await client.query("commit");
    return { userId, created: !existing, tenant };
  } catch (err) {
    await client.query("rollback").catch(() => {});
    throw err;
  }
}
