// First-start demo data for `npm run dev`: one tenant with its system roles, an admin and an
// agent. Runs once (skipped when the demo tenant exists). Passwords use the Worker's PBKDF2 hash
// format, so these users log in through POST /api/auth/login like any other. Ids are UUID v7, as
// the Worker makes them.
import { randomBytes, webcrypto } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { v7 as uuidv7 } from "uuid";

export const DEMO_TENANT_SLUG = "demo";
/** Shared with the test that proves these credentials log in. */
export const DEMO_USERS = JSON.parse(readFileSync(new URL("./demo-users.json", import.meta.url), "utf8"));

const systemRoles = JSON.parse(
  readFileSync(new URL("../../src/core/auth/system-roles.json", import.meta.url), "utf8"),
);

/** Same format as src/core/auth/password.ts: pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>. */
async function hashPassword(password, iterations = 100_000) {
  const salt = randomBytes(16);
  const key = await webcrypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, [
    "deriveBits",
  ]);
  const bits = await webcrypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    key,
    256,
  );
  return `pbkdf2-sha256$${iterations}$${salt.toString("base64")}$${Buffer.from(bits).toString("base64")}`;
}

/**
 * @param {string} databaseUrl
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<{ created: boolean, tenantId: string }>}
 */
export async function seedDemo(databaseUrl, { log = () => {} } = {}) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const existing = await client.query("select id from tenants where lower(slug) = $1", [DEMO_TENANT_SLUG]);
    if (existing.rows.length > 0) {
      log(`demo tenant already present (slug "${DEMO_TENANT_SLUG}"); demo logins:`);
      for (const u of DEMO_USERS) log(`  ${u.role.padEnd(6)} ${u.email} / ${u.password}`);
      return { created: false, tenantId: existing.rows[0].id };
    }
    const tenantId = uuidv7();
    await client.query("begin");
    await client.query(
      `insert into tenants (id, name, slug, settings) values ($1, 'Demo Field Co', $2, $3)`,
      [tenantId, DEMO_TENANT_SLUG, JSON.stringify({ timezone: "Africa/Johannesburg", locale: "en-ZA" })],
    );
    const roleIds = {};
    for (const [name, def] of Object.entries(systemRoles)) {
      roleIds[name] = uuidv7();
      await client.query(
        `insert into roles (tenant_id, id, name, description, permissions, scope, is_system)
         values ($1, $2, $3, $4, $5, $6, true)`,
        [tenantId, roleIds[name], name, def.description, def.permissions, def.scope],
      );
    }
    for (const u of DEMO_USERS) {
      const userId = uuidv7();
      await client.query(
        `insert into users (id, email, password_hash, first_name, last_name) values ($1, $2, $3, $4, $5)
         on conflict do nothing`,
        [userId, u.email, await hashPassword(u.password), u.first, u.last],
      );
      const { rows } = await client.query("select id from users where lower(email) = lower($1)", [u.email]);
      await client.query("insert into memberships (tenant_id, user_id) values ($1, $2)", [
        tenantId,
        rows[0].id,
      ]);
      await client.query("insert into user_roles (tenant_id, user_id, role_id) values ($1, $2, $3)", [
        tenantId,
        rows[0].id,
        roleIds[u.role],
      ]);
    }
    await client.query("commit");
    log(`seeded demo tenant "Demo Field Co" (slug "${DEMO_TENANT_SLUG}"); demo logins:`);
    for (const u of DEMO_USERS) log(`  ${u.role.padEnd(6)} ${u.email} / ${u.password}`);
    return { created: true, tenantId };
  } catch (err) {
    await client.query("rollback").catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}
