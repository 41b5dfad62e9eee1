import { tenantContext } from "../../core/context";
import { apiRouter, jsonResponse, route } from "../../core/route";
import { syncedResources, syncQuery, syncResponse } from "./sync.schemas";
import { syncPage } from "./sync.service";

const types = syncedResources.map((r) => `\`${r.path.slice(1)}\``).join(", ");

/** `/api/sync`: offline sync for phones. */
export const syncRoutes = apiRouter().openapi(
  route({
    method: "get",
    path: "/",
    summary: "Offline sync: what changed since your cursor",
    description: `Everything a phone keeps offline that changed in your tenant and data scope since \`since\` (the \`cursor\` of your previous response) — ${types}, each as the API shows it (surveys with their live questions), only the types you may read; without the tenant scope only the shops on the call cycles in your scope (a route change re-sends its shops; a shop no route holds any more is a tombstone) — plus \`tombstones\` for rows deleted since, and on every page the snapshots \`goals\` (yours, active today, with your progress) and \`planned_calls\` (today and the next 7 days). Without \`since\`: a full snapshot of the live rows. One database round trip per page.\n\nThe client algorithm: call without \`since\` (first start) or with your stored cursor; apply \`changes\` (upsert by id) and \`tombstones\` (delete by id); store \`cursor\`; while \`has_more\` is true, call again at once with the new cursor. A row changed in the second before a sync may be sent again by the next one (it was possibly still committing), so apply by id.`,
    tags: ["sync"],
    auth: true,
    query: syncQuery,
    responses: { 200: jsonResponse(syncResponse, "A page of changes and the next cursor") },
  }),
  async (c) => c.json({ data: await syncPage(tenantContext(c), c.req.valid("query")) }, 200),
);
