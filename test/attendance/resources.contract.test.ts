import { describeResourceContract } from "../helpers/resource-contract";

describeResourceContract("department", {
  body: (n) => ({ name: `Contract Department ${n}`, code: `D${n}` }),
  update: { name: "Renamed department", code: null },
});

describeResourceContract("shift", {
  body: (n) => ({
    name: `Contract Shift ${n}`,
    start_time: "22:00",
    end_time: "06:00",
    grace_late_minutes: 10,
    weekdays: [1, 2, 3, 4, 5, 6, 7],
  }),
  update: { break_minutes: 30, timezone: "Africa/Johannesburg" },
});

describeResourceContract("employee", {
  body: (n) => ({
    employee_code: `E-${n}`,
    first_name: "Contract",
    last_name: `Employee ${n}`,
    hire_date: "2026-01-05",
    work_locations: [{ name: "Head office", lat: -26.2041, lng: 28.0473, radius_m: 150 }],
  }),
  update: { job_title: "Cashier", status: "on_leave" },
});
