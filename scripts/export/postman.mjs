// A Postman collection from the OpenAPI document (openapi-to-postmanv2), made usable at once:
// a "Start here" folder first, whose "Log in" stores the access token in the collection variable
// `bearerToken` that every secured request sends; `baseUrl`, `email` and `password` default to
// `npm run dev` and its demo admin (override them in Postman, or `newman run … --env-var baseUrl=…`).
import { readFileSync } from "node:fs";
import Converter from "openapi-to-postmanv2";

const DEMO_ADMIN = JSON.parse(
  readFileSync(new URL("../local-db/demo-users.json", import.meta.url), "utf8"),
).find((u) => u.role === "admin");

/** The test script of every login request: check it worked, keep the tokens for the other requests. */
const STORE_TOKEN = [
  'pm.test("logged in", () => pm.response.to.have.status(200));',
  "const body = pm.response.json();",
  'pm.collectionVariables.set("bearerToken", body.data.access_token);',
  'pm.collectionVariables.set("refreshToken", body.data.refresh_token);',
];

const EXPECT_OK = ['pm.test("status 200", () => pm.response.to.have.status(200));'];

const testEvent = (exec) => ({ listen: "test", script: { type: "text/javascript", exec } });

/** @param {Record<string, unknown>} doc */
function convert(doc) {
  return new Promise((resolve, reject) => {
    Converter.convert(
      { type: "json", data: doc },
      { folderStrategy: "Tags", requestParametersResolution: "Example", enableOptionalParameters: false },
      (err, result) => {
        if (err) reject(err);
        else if (!result.result) reject(new Error(`openapi-to-postmanv2: ${result.reason}`));
        else resolve(result.output[0].data);
      },
    );
  });
}

/** Finds the generated request for `METHOD /path` (path as `api/auth/login`). */
function findRequest(collection, method, path) {
  const stack = [...collection.item];
  while (stack.length > 0) {
    const item = stack.shift();
    if (item.item) stack.push(...item.item);
    else if (item.request?.method === method && item.request.url.path.join("/") === path) return item;
  }
  throw new Error(`no ${method} /${path} in the collection`);
}

/**
 * @param {Record<string, unknown>} doc the OpenAPI 3.1 document
 * @returns {Promise<Record<string, unknown>>} a Postman v2.1 collection
 */
export async function buildPostmanCollection(doc) {
  const collection = await convert(doc);
  collection.variable = [
    { key: "baseUrl", value: "http://127.0.0.1:8787", type: "string" },
    { key: "email", value: DEMO_ADMIN.email, type: "string" },
    { key: "password", value: DEMO_ADMIN.password, type: "string" },
    { key: "bearerToken", value: "", type: "string" },
    { key: "refreshToken", value: "", type: "string" },
  ];

  const login = findRequest(collection, "POST", "api/auth/login");
  login.request.body.raw = JSON.stringify({ email: "{{email}}", password: "{{password}}" }, null, 2);
  login.event = [testEvent(STORE_TOKEN)];

  const brands = findRequest(collection, "GET", "api/brands");
  const start = {
    name: "Start here",
    description: "Log in (stores the access token in `bearerToken`), then any request of the other folders.",
    item: [
      { ...structuredClone(login), id: undefined, name: "Log in (stores the access token)" },
      { ...structuredClone(brands), id: undefined, name: "List brands", event: [testEvent(EXPECT_OK)] },
    ],
  };
  collection.item.unshift(start);
  return collection;
}
