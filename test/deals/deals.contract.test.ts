import { describeResourceContract } from "../helpers/resource-contract";

/** Deals keep the kit's contract (owned by created_by and owner_id). */
describeResourceContract("deal", {
  body: (n) => ({ title: `Deal ${n}`, amount: 1000 + n, currency: "EUR" }),
  update: { title: "Renamed deal", amount: 2500.5 },
});
