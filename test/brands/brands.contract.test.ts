import { describeResourceContract } from "../helpers/resource-contract";

describeResourceContract("brand", {
  body: (n) => ({ name: `Contract Brand ${n}`, description: "From the contract" }),
  update: { description: "Changed", is_active: false },
});
