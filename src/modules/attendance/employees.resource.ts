import { z } from "zod";
import { contains, defineResource, equals, field } from "../../core/resource/declaration";
import { uuidParam } from "../../core/resource/params";
import { departments, EMPLOYEE_STATUSES, employees, memberships, shifts } from "../../db/schema";
import {
  calendarDate,
  optionalName,
  optionalPhone,
  personName,
  workLocation,
  workLocations,
} from "./attendance.schemas";

/**
 * Employees (seed 002), by employee code (unique among live employees, case-insensitive);
 * optionally linked to a user account of the tenant (at most one employee per user), with a
 * default shift and several work locations. Owned by that user for the data scope: an employee
 * (own scope) sees their own record, managers their team's or subtree's, admins every one.
 */
export const employeeResource = defineResource({
  name: "employee",
  entity: "Employee",
  path: "/employees",
  tag: "attendance",
  table: employees,
  fields: {
    employee_code: field(employees.employeeCode, z.string().trim().min(1).max(50), z.string()),
    first_name: field(employees.firstName, personName, z.string()),
    last_name: field(employees.lastName, personName, z.string()),
    email: field(employees.email, z.email().max(254).nullable().optional(), z.string().nullable()),
    phone: field(employees.phone, optionalPhone.optional(), z.string().nullable()),
    department_id: field(employees.departmentId, z.uuid().nullable().optional(), z.uuid().nullable()),
    job_title: field(employees.jobTitle, optionalName.optional(), z.string().nullable()),
    hire_date: field(employees.hireDate, calendarDate.nullable().optional(), z.string().nullable()),
    status: field(
      employees.status,
      z.enum(EMPLOYEE_STATUSES).optional().describe("Default active"),
      z.enum(EMPLOYEE_STATUSES),
    ),
    user_id: field(
      employees.userId,
      z.uuid().nullable().optional().describe("The employee's user account (self check-in, own records)"),
      z.uuid().nullable(),
    ),
    default_shift_id: field(employees.defaultShiftId, z.uuid().nullable().optional(), z.uuid().nullable()),
    work_locations: field(employees.workLocations, workLocations.optional(), z.array(workLocation)),
  },
  permissions: { read: "attendance:read", write: "attendance:write", delete: "attendance:write" },
  scope: [employees.userId],
  unique: {
    employees_tenant_code_key: {
      field: "employee_code",
      message: "An employee with this code already exists",
    },
    employees_tenant_user_key: { field: "user_id", message: "This user is already another employee" },
  },
  references: {
    department_id: { table: departments, entity: "Department" },
    default_shift_id: { table: shifts, entity: "Shift" },
    user_id: { table: memberships, entity: "User", key: memberships.userId },
  },
  filters: {
    q: contains(employees.lastName, "Last name contains (case-insensitive)"),
    department_id: equals(employees.departmentId, uuidParam),
    status: equals(employees.status, z.enum(EMPLOYEE_STATUSES)),
    user_id: equals(employees.userId, uuidParam),
  },
  order: { column: employees.employeeCode, caseInsensitive: true },
});
