// Prints the CREATE OR REPLACE FUNCTION statements of every plan-cached function
// (src/modules/plan-cached-functions.ts), separated as drizzle-kit expects, for a custom migration:
//   npx drizzle-kit generate --custom --name <name> && npm run db:functions > drizzle/<that file>
import { planCachedFunctions } from "../../src/modules/plan-cached-functions";

console.log(planCachedFunctions.map((f) => f.definition()).join("\n--> statement-breakpoint\n"));
