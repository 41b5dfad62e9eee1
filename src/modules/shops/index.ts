/** What the shops module offers the rest of the code on purpose: its kit declaration (offline sync narrows it per caller). */
export { shopResource } from "./shops.resource";
