import { callCycleResponse } from "../../src/modules/call-cycles/call-cycles.resource";
import { describeResourceContract } from "../helpers/resource-contract";

describeResourceContract("call_cycle", {
  body: (n) => ({ name: `Contract Cycle ${n}`, description: "From the contract", start_date: "2026-11-02" }),
  update: { description: "Changed", is_active: false },
  schemas: { one: callCycleResponse },
});
