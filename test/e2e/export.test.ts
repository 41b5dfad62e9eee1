import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildPostmanCollection } from "../../scripts/export/postman.mjs";
import { generateTypes } from "../../scripts/export/types.mjs";
import { fetchOpenApiDocument } from "../../scripts/export.mjs";

/**
 * `npm run export`'s pieces: the committed client types are what the Worker's current document
 * generates (so clients and the README's openapi-fetch example cannot drift), and the Postman
 * collection logs in first and hands the token to the secured requests.
 */

interface PostmanItem {
  name: string;
  item?: PostmanItem[];
  event?: { listen: string; script: { exec: string[] } }[];
  request?: {
    method: string;
    url: { path: string[] };
    auth?: { type: string; bearer?: { value: string }[] } | null;
  };
}

let doc: Record<string, unknown>;

beforeAll(async () => {
  doc = (await fetchOpenApiDocument()) as Record<string, unknown>;
});

describe("npm run export", () => {
  it("clients/openapi.d.ts is current (else run `npm run export` and commit it)", async () => {
    const committed = readFileSync(new URL("../../clients/openapi.d.ts", import.meta.url), "utf8");
    expect(committed === (await generateTypes(doc)), "clients/openapi.d.ts is stale: npm run export").toBe(
      true,
    );
  });

  it("builds a Postman collection whose login stores the token the other requests use", async () => {
    const collection = (await buildPostmanCollection(doc)) as {
      item: PostmanItem[];
      variable: { key: string; value: string }[];
    };
    const [start] = collection.item;
    expect(start?.name).toBe("Start here");
    const [login, list] = start?.item ?? [];
    expect(login?.request?.method).toBe("POST");
    expect(login?.request?.url.path.join("/")).toBe("api/auth/login");
    const script = login?.event?.find((e) => e.listen === "test")?.script.exec.join("\n") ?? "";
    expect(script).toContain('pm.collectionVariables.set("bearerToken", body.data.access_token)');
    expect(list?.request?.auth?.bearer?.[0]?.value).toBe("{{bearerToken}}");
    expect(collection.variable.map((v) => v.key)).toEqual(
      expect.arrayContaining(["baseUrl", "email", "password", "bearerToken"]),
    );
    // Every operation of the document is in the collection (plus the two of "Start here").
    const count = (items: PostmanItem[]): number =>
      items.reduce((n, i) => n + (i.item ? count(i.item) : 1), 0);
    const operations = Object.values(doc.paths as Record<string, object>).reduce(
      (n, item) => n + Object.keys(item).length,
      0,
    );
    expect(count(collection.item)).toBe(operations + 2);
  });
});
