import { describeResourceContract } from "../helpers/resource-contract";

describeResourceContract("goal", {
  body: (n) => ({
    name: `Contract Goal ${n}`,
    metric: "visits_completed",
    target: 10,
    period_type: "weekly",
    start_date: "2026-11-02",
  }),
  update: { description: "Changed", target: 20 },
});
