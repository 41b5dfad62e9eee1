import { z } from "zod";
import { contains, defineResource, equals, field } from "../../core/resource/declaration";
import { uuidParam } from "../../core/resource/params";
import { departments, employees } from "../../db/schema";
import { code, name200 } from "./attendance.schemas";

/** Departments (seed 002): reference data of the tenant, by name; a parent and a manager employee. */
export const departmentResource = defineResource({
  name: "department",
  entity: "Department",
  path: "/departments",
  tag: "attendance",
  table: departments,
  fields: {
    name: field(departments.name, name200, z.string()),
    code: field(departments.code, code.optional(), z.string().nullable()),
    parent_id: field(
      departments.parentId,
      z.uuid().nullable().optional().describe("The parent department"),
      z.uuid().nullable(),
    ),
    manager_employee_id: field(
      departments.managerEmployeeId,
      z.uuid().nullable().optional().describe("The employee who manages it (approves its leave requests)"),
      z.uuid().nullable(),
    ),
  },
  permissions: { read: "attendance:read", write: "attendance:write", delete: "attendance:write" },
  scope: "tenant",
  unique: {
    departments_tenant_name_key: { field: "name", message: "A department with this name already exists" },
    departments_tenant_code_key: { field: "code", message: "A department with this code already exists" },
  },
  references: {
    parent_id: { table: departments, entity: "Department" },
    manager_employee_id: { table: employees, entity: "Employee" },
  },
  filters: {
    q: contains(departments.name, "Name contains (case-insensitive)"),
    parent_id: equals(departments.parentId, uuidParam),
  },
  order: { column: departments.name, caseInsensitive: true },
});
