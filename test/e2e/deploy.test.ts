import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deployProblems, REQUIRED_SECRETS } from "../../scripts/deploy.mjs";

/** `npm run deploy` refuses to deploy what would not run; checked offline with --dry-run and --secrets. */

function deploy(args: string[], env: Record<string, string | undefined>) {
  return new Promise<{ status: number | null; out: string }>((resolve, reject) => {
    const child = spawn("node", ["scripts/deploy.mjs", "--dry-run", ...args], {
      env: { ...process.env, ...env },
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, out }));
  });
}

/** wrangler.jsonc with a real-looking KV id, as it is after the README's production step. */
function configWithKvId(): string {
  const text = readFileSync("wrangler.jsonc", "utf8").replace(
    /"0{32}"/,
    '"0123456789abcdef0123456789abcdef"',
  );
  const dir = mkdtempSync(join(tmpdir(), "sse-deploy-"));
  const file = join(dir, "wrangler.jsonc");
  writeFileSync(
    file,
    text
      .replace('"main": "src/index.ts"', `"main": ${JSON.stringify(join(process.cwd(), "src/index.ts"))}`)
      .replace('"directory": "./public"', `"directory": ${JSON.stringify(join(process.cwd(), "public"))}`)
      .replace('"$schema": "node_modules/wrangler/config-schema.json",', ""),
  );
  return file;
}

describe("npm run deploy", () => {
  it("refuses when a required secret is missing, naming the command that fixes it", async () => {
    const run = await deploy(["--secrets", "JWT_SECRET", "--config", configWithKvId()], {
      DATABASE_URL: "postgresql://u:p@db.example.test/neondb",
    });
    expect(run.status).toBe(1);
    expect(run.out).toContain("refusing to deploy");
    expect(run.out).toContain("wrangler secret put DATABASE_URL");
    expect(run.out).not.toContain("would run");
  });

  it("refuses the committed config until its KV id is real, and without a local DATABASE_URL", async () => {
    const run = await deploy(["--secrets", REQUIRED_SECRETS.join(",")], { DATABASE_URL: "" });
    expect(run.status).toBe(1);
    expect(run.out).toContain("placeholder id");
    expect(run.out).toContain("DATABASE_URL is not set here");
  });

  it("with every secret and a real KV id, plans the migrations then wrangler deploy", async () => {
    const run = await deploy(
      ["--secrets", [...REQUIRED_SECRETS, "UPLOAD_SIGNING_SECRET"].join(","), "--config", configWithKvId()],
      {
        DATABASE_URL: "postgresql://u:p@db.example.test/neondb",
      },
    );
    expect(run.out).toContain("checks passed");
    expect(run.status).toBe(0);
    expect(run.out).toMatch(/node scripts\/migrate\.mjs\n\s+npx wrangler deploy/);
  });

  it("wants both R2 keys or neither", () => {
    const config = { kv_namespaces: [{ binding: "KV", id: "abc123" }] };
    const env = { DATABASE_URL: "postgresql://x" };
    expect(deployProblems({ secrets: [...REQUIRED_SECRETS, "R2_ACCESS_KEY_ID"], config, env })).toEqual([
      "secret R2_ACCESS_KEY_ID is set but R2_SECRET_ACCESS_KEY is not: set both or neither",
    ]);
    expect(
      deployProblems({
        secrets: [...REQUIRED_SECRETS, "R2_ACCESS_KEY_ID", "R2_SECRET_ACCESS_KEY"],
        config,
        env,
      }),
    ).toEqual([]);
  });
});
