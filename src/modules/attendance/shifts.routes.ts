import { resourceRoutes } from "../../core/resource/routes";
import { shiftResource } from "./shifts.resource";

/** Shifts on the resource kit: the standard five routes. */
export const shiftRoutes = resourceRoutes(shiftResource, {
  docs: {
    create:
      "Times are local wall-clock times in the shift's `timezone` (default the tenant's); an `end_time` not after `start_time` makes it `overnight` (it ends the next day and counts on the day it starts).",
  },
});
