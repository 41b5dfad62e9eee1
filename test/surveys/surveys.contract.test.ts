import { surveyResponse } from "../../src/modules/surveys/surveys.resource";
import { describeResourceContract } from "../helpers/resource-contract";

describeResourceContract("survey", {
  body: (n) => ({
    title: `Contract Survey ${n}`,
    visit_type: "shop",
    questions: [{ prompt: "Facings?", type: "number" }],
  }),
  update: { title: "Renamed", is_active: false },
  schemas: { one: surveyResponse },
});
