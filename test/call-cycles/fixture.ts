import type { CycleSpec, VisitSpec } from "./support";

/**
 * New York (DST from Sunday 8 March 2026, 02:00 → 03:00): cycle N from Monday 2 March, open-ended;
 * cycle M (monthly on the 31st) from 1 January.
 */
export const TZ = "America/New_York";
export const CYCLES: CycleSpec[] = [
  {
    key: "N",
    owner: "a1",
    start_date: "2026-03-02",
    locations: [
      // Sundays and Mondays, 09:00–12:00, agent a1: Sunday 8 March is the DST day.
      {
        key: "L1",
        shop: "s1",
        frequency: "weekly",
        weekdays: [7, 1],
        window_start: "09:00",
        window_end: "12:00",
        agent: "a1",
      },
      // Wednesdays, no window, team T (leader, a1, a2).
      { key: "L2", shop: "s2", frequency: "weekly", weekdays: [3], team: "T" },
      // Tuesdays of every second week from the start week; no assignee: the owner a1.
      { key: "L3", shop: "s3", frequency: "every_n_weeks", interval_weeks: 2, weekdays: [2] },
    ],
  },
  {
    key: "M",
    owner: "a2",
    start_date: "2026-01-01",
    end_date: "2026-12-31",
    locations: [{ key: "L4", shop: "s4", frequency: "monthly", month_day: 31, window_end: "17:00" }],
  },
  // Owned by a3 (in no team): outside the area manager's subtree.
  {
    key: "Z",
    owner: "a3",
    start_date: "2026-03-02",
    locations: [{ key: "L5", shop: "s1", frequency: "weekly", weekdays: [4] }],
  },
];

export const VISITS: VisitSpec[] = [
  // Monday 2 March 11:30 EST (UTC−5): done.
  { agent: "a1", shop: "s1", completed: "2026-03-02T16:30:00Z" },
  // Sunday 8 March 16:30Z = 12:30 EDT (UTC−4, after the change): late (11:30 if EST were assumed).
  { agent: "a1", shop: "s1", completed: "2026-03-08T16:30:00Z" },
  // Monday 9 March: nothing → missed. Sunday 15 March 10:00 EDT: done.
  { agent: "a1", shop: "s1", completed: "2026-03-15T14:00:00Z" },
  // Wednesday 4 March 23:30 EST = 5 March 04:30Z: that Wednesday → done (by a2, a team member).
  { agent: "a2", shop: "s2", completed: "2026-03-05T04:30:00Z" },
  // Thursday 12 March 00:30 EDT = 04:30Z: the next day, so Wednesday 11 March is missed …
  { agent: "a2", shop: "s2", completed: "2026-03-12T04:30:00Z" },
  // … and a3 (not in team T) at s2 on 11 March does not count either.
  { agent: "a3", shop: "s2", completed: "2026-03-11T15:00:00Z" },
  // Wednesday 18 March: the leader (a member of T) at 09:00 EDT → done.
  { agent: "leader", shop: "s2", completed: "2026-03-18T13:00:00Z" },
  // L3: Tuesday 3 March none → missed; Tuesday 10 March is not due (a visit changes nothing); 17 March done.
  { agent: "a1", shop: "s3", completed: "2026-03-10T15:00:00Z" },
  { agent: "a1", shop: "s3", completed: "2026-03-17T15:00:00Z" },
  // L4 (owner a2): 28 Feb (the last day of February) 16:00 EST done; 31 March none → missed;
  // 30 April 17:30 EDT → late (after 17:00).
  { agent: "a2", shop: "s4", completed: "2026-02-28T21:00:00Z" },
  { agent: "a2", shop: "s4", completed: "2026-04-30T21:30:00Z" },
  // Z: Thursday 5 March 10:00 EST by a3 → done; the other Thursdays missed.
  { agent: "a3", shop: "s1", completed: "2026-03-05T15:00:00Z" },
];
