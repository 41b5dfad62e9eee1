import { sql } from "drizzle-orm";
import { z } from "zod";
import type { TenantContext } from "../../core/context";
import { booleanQuery, checkPaging } from "../../core/pagination";
import { listQueryShape } from "../../core/resource/schemas";
import { createOne, listPage, type Versioned } from "../../core/resource/verbs";
import { taskResource } from "./tasks.resource";

/** The task list's query: the declared filters and `mine` (assigned to you; false: to anyone else or nobody). */
export const taskListQuery = z
  .strictObject({
    ...listQueryShape(taskResource),
    mine: booleanQuery.optional().describe("true: assigned to you; false: not assigned to you"),
  })
  .superRefine((q, ctx) => checkPaging(q, ctx));

/** `GET /api/tasks`: the kit's list with `mine` read against the caller. */
export function listTasks(ctx: TenantContext, query: z.output<typeof taskListQuery>) {
  const mine = sql`t.assignee_id is not distinct from ${ctx.userId}::uuid`;
  const where = query.mine === undefined ? [] : [query.mine ? mine : sql`not (${mine})`];
  return listPage(ctx, taskResource, query, { where });
}

/** A new task is assigned to its creator unless the body says otherwise (null: nobody). */
export function createTask(
  ctx: TenantContext,
  input: Record<string, unknown>,
): Promise<Versioned<{ id: string; version: number }>> {
  return createOne(ctx, taskResource, {
    ...input,
    assignee_id: input.assignee_id === undefined ? ctx.userId : input.assignee_id,
  });
}
