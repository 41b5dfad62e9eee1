import { unstorableInputPart } from "./unstorable-input.cases";

// Every string input of every operation with unstorable text: part 2 of the cases (see the cases file).
unstorableInputPart(1);
