import { describeResourceContract } from "../helpers/resource-contract";

/** Tasks keep the kit's contract (owned by created_by and assignee_id). */
describeResourceContract("task", {
  body: (n) => ({ title: `Task ${n}`, due_date: "2026-12-31" }),
  update: { done: true, description: "Called back" },
});
