import { sql } from "drizzle-orm";
import { z } from "zod";
import { booleanQuery } from "../../core/pagination";
import { contains, defineResource, equals, field } from "../../core/resource/declaration";
import { col } from "../../core/resource/sql";
import { contacts, deals, memberships, tasks } from "../../db/schema";
import { compare, TASK_PERMISSIONS } from "./deals.permissions";
import { DEAL_OWNERS } from "./deals.resource";
import { dealTitle, idQuery, isoDate, longText, rowRef } from "./deals.schemas";

/** The tenant's local today, for the row under `alias`. */
const localToday = (alias: string) =>
  sql`(now() at time zone (select coalesce(nullif(x.settings->>'timezone', ''), 'UTC') from tenants x where x.id = ${col(alias, tasks.tenantId)}))::date`;

/**
 * Tasks (seed 004): a title, a description, a due date, a deal and/or contact, an assignee
 * (default: the creator) and `done`. Owned by `created_by` and `assignee_id`. `mine` is the
 * caller's own filter (tasks.service.ts).
 */
export const taskResource = defineResource({
  name: "task",
  entity: "Task",
  path: "/tasks",
  tag: "tasks",
  table: tasks,
  fields: {
    title: field(tasks.title, dealTitle, z.string()),
    description: field(tasks.description, longText.optional(), z.string().nullable()),
    due_date: field(tasks.dueDate, isoDate.nullable().optional(), z.iso.date().nullable()),
    deal_id: field(tasks.dealId, rowRef("deal").optional(), z.uuid().nullable()),
    contact_id: field(tasks.contactId, rowRef("contact").optional(), z.uuid().nullable()),
    assignee_id: field(
      tasks.assigneeId,
      z.uuid().nullable().optional().describe("A user of the tenant. Default: you"),
      z.uuid().nullable(),
    ),
    done: field(tasks.done, z.boolean().optional().describe("Default false"), z.boolean()),
  },
  permissions: TASK_PERMISSIONS,
  scope: [tasks.createdBy, tasks.assigneeId],
  references: {
    deal_id: { table: deals, entity: "Deal", scope: DEAL_OWNERS },
    contact_id: { table: contacts, entity: "Contact" },
    assignee_id: { table: memberships, entity: "User", key: memberships.userId },
  },
  filters: {
    q: contains(tasks.title, "Title contains (case-insensitive)"),
    deal_id: equals(tasks.dealId, idQuery),
    contact_id: equals(tasks.contactId, idQuery),
    assignee_id: equals(tasks.assigneeId, idQuery),
    done: equals(tasks.done, booleanQuery),
    due_before: compare(tasks.dueDate, "<", isoDate.describe("Due before this day")),
    overdue: {
      schema: booleanQuery.describe(
        "true: not done and due before today (tenant's time zone); false: the others",
      ),
      where: (value: boolean, a: string) => {
        const overdue = sql`(not ${col(a, tasks.done)} and ${col(a, tasks.dueDate)} < ${localToday(a)})`;
        return value ? overdue : sql`not coalesce(${overdue}, false)`;
      },
    },
  },
  order: { column: tasks.createdAt, descending: true },
});
