import { resourceRoutes } from "../../core/resource/routes";
import { departmentResource } from "./departments.resource";

/** Departments on the resource kit: the standard five routes. */
export const departmentRoutes = resourceRoutes(departmentResource, {
  docs: {
    create: "`manager_employee_id` names the employee who approves the department's leave requests.",
  },
});
