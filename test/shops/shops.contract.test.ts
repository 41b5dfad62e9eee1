import { shopListResponse } from "../../src/modules/shops/shops.resource";
import { describeResourceContract } from "../helpers/resource-contract";

describeResourceContract("shop", {
  body: (n) => ({ name: `Contract Shop ${n}`, lat: -26.2 + n / 1000, lng: 28.04, external_code: `C-${n}` }),
  update: { channel: "forecourt", lat: 1.5 },
  schemas: { list: shopListResponse },
});
