import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApi, startApi } from "./worker";

/**
 * The README is the front door, so it must not claim more than the API serves: its "What works
 * today" routes exist in /api/openapi.json, every route family of the API is listed there, nothing
 * under "Not built yet" exists (move it up when it lands), and its curl tour runs.
 */

const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

let api: RunningApi;
let paths: Record<string, Record<string, unknown>>;

beforeAll(async () => {
  api = await startApi();
  const res = await fetch(`${api.origin}/api/openapi.json`);
  paths = ((await res.json()) as { paths: typeof paths }).paths;
});

afterAll(async () => {
  await api?.stop();
});

function block(name: string): string {
  const match = new RegExp(`<!-- ${name}:start -->([\\s\\S]*?)<!-- ${name}:end -->`).exec(README);
  if (!match?.[1]) throw new Error(`README has no <!-- ${name}:start/end --> block`);
  return match[1];
}

const family = (path: string) => path.split("/")[2] ?? "";

describe("README", () => {
  it("lists only routes that exist, and every route family that exists", () => {
    const listed = [...block("families").matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/api\/[^`\s]+)`/g)];
    expect(listed.length).toBeGreaterThan(10);
    for (const [, method = "", path = ""] of listed) {
      expect(paths[path]?.[method.toLowerCase()], `${method} ${path} (README) in openapi.json`).toBeDefined();
    }
    const listedFamilies = new Set(listed.map(([, , path = ""]) => family(path)));
    const apiFamilies = new Set(Object.keys(paths).map(family));
    expect(
      [...apiFamilies].filter((f) => !listedFamilies.has(f)),
      "families missing from README",
    ).toEqual([]);
  });

  it('names nothing under "not built yet" that the API already serves', () => {
    // Every module of DESIGN §4 is served, so the list is gone; one that comes back must parse
    // and name only what is not served yet.
    if (!README.includes("<!-- not-yet:start -->")) {
      expect(README).not.toMatch(/not built yet/i);
      return;
    }
    const notYet = [...block("not-yet").matchAll(/`(\/api\/[^`\s]+)`/g)].map((m) => m[1] ?? "");
    expect(notYet.length).toBeGreaterThan(0);
    for (const prefix of notYet) {
      const served = Object.keys(paths).filter((p) => p === prefix || p.startsWith(`${prefix}/`));
      expect(served, `${prefix} is served now: move it to "What works today"`).toEqual([]);
    }
  });

  it("its ten-line curl tour runs against the API", async () => {
    const section = README.slice(README.indexOf("## A ten-line tour"));
    const script = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
    expect(script.trim().split("\n").length).toBeLessThanOrEqual(10);
    const run = await new Promise<{ status: number | null; out: string }>((resolve, reject) => {
      const child = spawn("bash", ["-euo", "pipefail", "-c", script], {
        env: { ...process.env, API: `${api.origin}/api` },
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
    expect(run.status, run.out).toBe(0);
    const lines = run.out.trim().split("\n");
    expect(lines[0]).toBe("Tour Foods");
    expect(lines[1]).toBe("in_progress");
    expect(lines[2]).toMatch(/^[0-9a-f-]{36}$/);
  });
});
