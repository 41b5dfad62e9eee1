#!/usr/bin/env -S npx tsx
// `npm run admin:create -- --email ops@example.com [--first-name Ada] [--last-name Ops] [--tenant slug] [--set-password]`
// Creates a platform super admin in DATABASE_URL, or promotes the existing user with that email.
// Login needs a membership, so a new admin becomes owner of the tenant `--tenant` names (default
// `platform`, created with the system roles when missing); an existing user joins one only if named.
// A new user needs a password: asked twice on a terminal (not echoed), else read from standard input
// (`printf '%s' "$PW" | npm run admin:create -- --email …`). An existing user keeps their password
// unless --set-password is given. Hashing and the password policy are the API's own
// (src/core/auth/password.ts, the registration schema), so the account logs in like any other.
// Each change is recorded in system_audit (`user.super_admin`, actor: the CLI).
import { stdin, stdout } from "node:process";
import { parseArgs } from "node:util";
import pg from "pg";
import { hashPassword } from "../src/core/auth/password";
import { passwordSchema } from "../src/modules/auth/auth.schemas";
import { readSecret } from "./admin/read-secret";
import { ensureSuperAdmin, findUserByEmail } from "./admin/super-admin";

const USAGE = `usage: npm run admin:create -- --email <email> [--first-name <name>] [--last-name <name>]
         [--tenant <slug> [--tenant-name <name>]] [--set-password]`;

function fail(message: string): never {
  console.error(`admin:create: ${message}`);
  process.exit(1);
}

/** The password: prompted twice on a TTY, otherwise all of standard input (one trailing newline dropped). */
async function readPassword(): Promise<string> {
  let password: string;
  if (stdin.isTTY) {
    password = await readSecret("Password: ");
    if ((await readSecret("Repeat it: ")) !== password) fail("the two passwords differ");
  } else {
    let text = "";
    for await (const chunk of stdin) text += chunk;
    password = text.replace(/\r?\n$/, "");
  }
  const checked = passwordSchema.safeParse(password);
  if (!checked.success) fail(`password: ${checked.error.issues.map((i) => i.message).join("; ")}`);
  return password;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      email: { type: "string" },
      "first-name": { type: "string", default: "Platform" },
      "last-name": { type: "string", default: "Admin" },
      "set-password": { type: "boolean", default: false },
      tenant: { type: "string" },
      "tenant-name": { type: "string", default: "Platform operations" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    stdout.write(`${USAGE}\n`);
    return;
  }
  const email = values.email?.trim().toLowerCase();
  if (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) fail(`a valid --email is required\n${USAGE}`);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl)
    fail("DATABASE_URL is not set (the Postgres to write to, e.g. your Neon connection string)");

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const existing = await findUserByEmail(client, email);
    const password = !existing || values["set-password"] ? await readPassword() : undefined;
    const result = await ensureSuperAdmin(client, {
      email,
      firstName: values["first-name"],
      lastName: values["last-name"],
      passwordHash: password === undefined ? undefined : await hashPassword(password),
      tenantSlug: values.tenant,
      tenantName: values["tenant-name"],
    });
    const where = result.tenant
      ? `; owner of tenant "${result.tenant.slug}"${result.tenant.created ? " (created)" : ""}`
      : "";
    console.log(
      result.created
        ? `created platform super admin ${email} (${result.userId})${where}`
        : `promoted ${email} (${result.userId}) to platform super admin${password ? ", password replaced" : ""}${where}`,
    );
  } finally {
    await client.end();
  }
}

main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
