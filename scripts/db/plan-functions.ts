// Prints the CREATE OR REPLACE FUNCTION statements of the plan-cached functions
// (src/modules/plan-cached-functions.ts) named on the command line, or of all, separated as
// drizzle-kit expects, for a custom migration:
//   npx drizzle-kit generate --custom --name <name> && npm run -s db:functions -- <fn> … > drizzle/<that file>
import { planCachedFunctions } from "../../src/modules/plan-cached-functions";

const names = process.argv.slice(2);
const unknown = names.filter((n) => !planCachedFunctions.some((f) => f.name === n));
if (unknown.length > 0) throw new Error(`no plan-cached function named ${unknown.join(", ")}`);
const chosen = planCachedFunctions.filter((f) => names.length === 0 || names.includes(f.name));
console.log(chosen.map((f) => f.definition()).join("\n--> statement-breakpoint\n"));
