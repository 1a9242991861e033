import { rewriteForOfflinePlan } from "../../scripts/plan-offline/rewrite";
import { substitutionLabel, substitutionsFor } from "../../scripts/plan-offline/substitutions";
import { synthStack } from "../support/synth";

const { doc } = synthStack();
const rewrite = rewriteForOfflinePlan(doc, { awsProviderVersion: "5.100.0" });

test("the default stack's rewrite keeps no data source and no reference to one", () => {
  expect(rewrite.doc).not.toHaveProperty("data");
  expect(rewrite.keptDataSources).toEqual([]);
  expect(JSON.stringify(rewrite.doc)).not.toMatch(/\bdata\./);
});

test("every substitution a 5.x mirror gets is needed by the default stack (no dead rows)", () => {
  expect(rewrite.substitutions.map((applied) => applied.label)).toEqual(
    substitutionsFor("5.100.0").map(substitutionLabel),
  );
});

test("the default stack keeps every resource", () => {
  expect(Object.keys(rewrite.doc.resource as object)).toEqual(Object.keys(doc.resource));
});
