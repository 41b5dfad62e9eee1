import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  time,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdBy, softDelete, tenantFk, tenantKey, tenantPk, timestamps, version } from "./columns";
import { users } from "./identity";
import { tenants } from "./tenancy";

/** The closed value lists of the attendance tables (seed 002). */
export const EMPLOYEE_STATUSES = ["active", "on_leave", "terminated"] as const;
export const ATTENDANCE_STATUSES = [
  "present",
  "late",
  "absent",
  "on_leave",
  "half_day",
  "missing_checkout",
] as const;
export const LEAVE_TYPES = ["annual", "sick", "unpaid", "other"] as const;
export const LEAVE_STATUSES = ["pending", "approved", "rejected", "cancelled"] as const;

/** A place an employee may check in at: a circle of `radius_m` metres around (lat, lng). */
export interface WorkLocation {
  name: string;
  lat: number;
  lng: number;
  radius_m: number;
}

export const departments = pgTable(
  "departments",
  {
    ...tenantKey(),
    name: text("name").notNull(),
    code: text("code"),
    parentId: uuid("parent_id"),
    /** The employee who manages the department (approves its leave). */
    managerEmployeeId: uuid("manager_employee_id"),
    ...version(),
    ...createdBy(),
    ...timestamps(),
    ...softDelete(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("departments_parent_fk", [t.tenantId, t.parentId], t),
    uniqueIndex("departments_tenant_name_key")
      .on(t.tenantId, sql`lower(${t.name})`)
      .where(sql`${t.deletedAt} is null`),
    uniqueIndex("departments_tenant_code_key")
      .on(t.tenantId, sql`lower(${t.code})`)
      .where(sql`${t.code} is not null and ${t.deletedAt} is null`),
    index("departments_tenant_updated_idx").on(t.tenantId, t.updatedAt),
  ],
);

export const shifts = pgTable(
  "shifts",
  {
    ...tenantKey(),
    name: text("name").notNull(),
    /** Local wall-clock times in the shift's time zone; `end_time <= start_time` means it ends the next day. */
    startTime: time("start_time").notNull(),
    endTime: time("end_time").notNull(),
    graceLateMinutes: integer("grace_late_minutes").notNull().default(0),
    graceEarlyMinutes: integer("grace_early_minutes").notNull().default(0),
    breakMinutes: integer("break_minutes").notNull().default(0),
    /** ISO weekdays the shift works (1 = Monday … 7 = Sunday), as a JSON array. */
    weekdays: jsonb("weekdays").$type<number[]>().notNull().default([1, 2, 3, 4, 5]),
    /** IANA zone; null = the tenant's. */
    timezone: text("timezone"),
    ...version(),
    ...createdBy(),
    ...timestamps(),
    ...softDelete(),
  },
  (t) => [
    tenantPk(t),
    uniqueIndex("shifts_tenant_name_key")
      .on(t.tenantId, sql`lower(${t.name})`)
      .where(sql`${t.deletedAt} is null`),
    index("shifts_tenant_updated_idx").on(t.tenantId, t.updatedAt),
  ],
);

export const employees = pgTable(
  "employees",
  {
    ...tenantKey(),
    employeeCode: text("employee_code").notNull(),
    firstName: text("first_name").notNull(),
    lastName: text("last_name").notNull(),
    email: text("email"),
    phone: text("phone"),
    departmentId: uuid("department_id"),
    jobTitle: text("job_title"),
    hireDate: date("hire_date"),
    status: text("status", { enum: EMPLOYEE_STATUSES }).notNull().default("active"),
    /** The user account of the employee (self check-in, own records), at most one employee per user. */
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    defaultShiftId: uuid("default_shift_id"),
    workLocations: jsonb("work_locations").$type<WorkLocation[]>().notNull().default([]),
    /**
     * How many face descriptors the employee has, kept by the enrolment and erasure statements:
     * enrolment increments it only while below the limit, so concurrent enrolments queue on the
     * row and never pass the limit together.
     */
    faceCount: integer("face_count").notNull().default(0),
    ...version(),
    ...createdBy(),
    ...timestamps(),
    ...softDelete(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("employees_department_fk", [t.tenantId, t.departmentId], departments),
    tenantFk("employees_default_shift_fk", [t.tenantId, t.defaultShiftId], shifts),
    uniqueIndex("employees_tenant_code_key")
      .on(t.tenantId, sql`lower(${t.employeeCode})`)
      .where(sql`${t.deletedAt} is null`),
    uniqueIndex("employees_tenant_user_key")
      .on(t.tenantId, t.userId)
      .where(sql`${t.userId} is not null and ${t.deletedAt} is null`),
    index("employees_tenant_department_idx").on(t.tenantId, t.departmentId),
    index("employees_tenant_updated_idx").on(t.tenantId, t.updatedAt),
    check("employees_face_count_check", sql`${t.faceCount} between 0 and 5`),
  ],
);

/** cube (contrib, on every Postgres here and on Neon): a point of at most 100 dimensions. */
const cube = customType<{ data: string }>({ dataType: () => "cube" });

/**
 * A face descriptor computed on the device (never an image), stored unit-length as `real[]` so
 * the cosine similarity is a plain dot product in SQL — on every Postgres (the PostgreSQL 15
 * server here has no pgvector). `chunks` is the same vector as cubes of at most 100 components
 * (`face_chunks()`, migration 0024): identification's distance in C. Erasure deletes the row.
 */
export const faceEmbeddings = pgTable(
  "face_embeddings",
  {
    ...tenantKey(),
    employeeId: uuid("employee_id").notNull(),
    vector: real("vector").array().notNull(),
    chunks: cube("chunks").array().generatedAlwaysAs(sql`face_chunks(vector)`),
    dimension: integer("dimension").notNull(),
    label: text("label"),
    consentAt: timestamp("consent_at", { withTimezone: true }).notNull(),
    enrolledBy: uuid("enrolled_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("face_embeddings_employee_fk", [t.tenantId, t.employeeId], employees).onDelete("cascade"),
    index("face_embeddings_tenant_employee_idx").on(t.tenantId, t.employeeId),
  ],
);

/**
 * One row per employee per working day (`work_date`: the local day the shift starts on), with
 * the check-in and check-out and the minutes computed against the shift.
 */
export const attendanceRecords = pgTable(
  "attendance_records",
  {
    ...tenantKey(),
    employeeId: uuid("employee_id").notNull(),
    /** The employee's user at the time (the data-scope owner: an employee sees their own). */
    userId: uuid("user_id"),
    departmentId: uuid("department_id"),
    shiftId: uuid("shift_id"),
    workDate: date("work_date").notNull(),
    status: text("status", { enum: ATTENDANCE_STATUSES }).notNull(),
    shiftStart: timestamp("shift_start", { withTimezone: true }),
    shiftEnd: timestamp("shift_end", { withTimezone: true }),
    checkInAt: timestamp("check_in_at", { withTimezone: true }),
    checkInClientId: text("check_in_client_id"),
    checkInLat: doublePrecision("check_in_lat"),
    checkInLng: doublePrecision("check_in_lng"),
    checkInAccuracyM: doublePrecision("check_in_accuracy_m"),
    checkInDistanceM: doublePrecision("check_in_distance_m"),
    checkInLocation: text("check_in_location"),
    checkInOutsideGeofence: boolean("check_in_outside_geofence"),
    checkInFaceScore: doublePrecision("check_in_face_score"),
    checkInTrustScore: integer("check_in_trust_score"),
    checkInTrustFactors: jsonb("check_in_trust_factors"),
    checkOutAt: timestamp("check_out_at", { withTimezone: true }),
    checkOutClientId: text("check_out_client_id"),
    checkOutLat: doublePrecision("check_out_lat"),
    checkOutLng: doublePrecision("check_out_lng"),
    checkOutAccuracyM: doublePrecision("check_out_accuracy_m"),
    checkOutDistanceM: doublePrecision("check_out_distance_m"),
    checkOutLocation: text("check_out_location"),
    checkOutOutsideGeofence: boolean("check_out_outside_geofence"),
    checkOutFaceScore: doublePrecision("check_out_face_score"),
    checkOutTrustScore: integer("check_out_trust_score"),
    checkOutTrustFactors: jsonb("check_out_trust_factors"),
    workedMinutes: integer("worked_minutes").notNull().default(0),
    lateMinutes: integer("late_minutes").notNull().default(0),
    earlyLeaveMinutes: integer("early_leave_minutes").notNull().default(0),
    overtimeMinutes: integer("overtime_minutes").notNull().default(0),
    leaveRequestId: uuid("leave_request_id"),
    ...version(),
    ...createdBy(),
    ...timestamps(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("attendance_records_employee_fk", [t.tenantId, t.employeeId], employees).onDelete("cascade"),
    uniqueIndex("attendance_records_tenant_employee_day_key").on(t.tenantId, t.employeeId, t.workDate),
    uniqueIndex("attendance_records_tenant_check_in_client_key")
      .on(t.tenantId, t.employeeId, t.checkInClientId)
      .where(sql`${t.checkInClientId} is not null`),
    index("attendance_records_tenant_day_idx").on(t.tenantId, t.workDate),
    index("attendance_records_tenant_open_idx")
      .on(t.tenantId, t.employeeId, t.checkInAt)
      .where(sql`${t.checkInAt} is not null and ${t.checkOutAt} is null`),
  ],
);

export const leaveRequests = pgTable(
  "leave_requests",
  {
    ...tenantKey(),
    employeeId: uuid("employee_id").notNull(),
    /** The employee's user (the data-scope owner). */
    userId: uuid("user_id"),
    leaveType: text("leave_type", { enum: LEAVE_TYPES }).notNull(),
    startDate: date("start_date").notNull(),
    endDate: date("end_date").notNull(),
    halfDay: boolean("half_day").notNull().default(false),
    reason: text("reason"),
    status: text("status", { enum: LEAVE_STATUSES }).notNull().default("pending"),
    decidedBy: uuid("decided_by"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decisionNote: text("decision_note"),
    ...version(),
    ...createdBy(),
    ...timestamps(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("leave_requests_employee_fk", [t.tenantId, t.employeeId], employees).onDelete("cascade"),
    index("leave_requests_tenant_employee_idx").on(t.tenantId, t.employeeId, t.startDate),
    index("leave_requests_tenant_created_idx").on(t.tenantId, t.createdAt),
  ],
);

/** Rollup: attendance per department per local day (NO_DEPARTMENT for employees without one). */
export const attendanceDailyRollups = pgTable(
  "attendance_daily_rollups",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    departmentId: uuid("department_id").notNull(),
    day: date("day").notNull(),
    employees: integer("employees").notNull().default(0),
    present: integer("present").notNull().default(0),
    late: integer("late").notNull().default(0),
    absent: integer("absent").notNull().default(0),
    onLeave: integer("on_leave").notNull().default(0),
    halfDay: integer("half_day").notNull().default(0),
    missingCheckout: integer("missing_checkout").notNull().default(0),
    workedMinutes: integer("worked_minutes").notNull().default(0),
    lateMinutes: integer("late_minutes").notNull().default(0),
    overtimeMinutes: integer("overtime_minutes").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.departmentId] })],
);
