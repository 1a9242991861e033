// biome-ignore-all lint/suspicious/noExplicitAny: Terraform JSON is untyped by nature
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { withStandInReferences } from "../../constructs/naming";
import { addPlatformStacks } from "../../stacks/app";
import { DEFAULT_CONFIG } from "../../stacks/config";
import { allResources } from "../support/synth";

const ROOT = join(__dirname, "..", "..");
const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const stacks = addPlatformStacks(Testing.app(), DEFAULT_CONFIG);
const environment = JSON.parse(Testing.synth(stacks.environment));
const regional = JSON.parse(Testing.synth(stacks.regional!));

/** The output names of the README's "Outputs" table, placeholders kept (`endpoint_<provider>`). */
function documentedOutputs(): string[] {
  const section = readme.slice(readme.indexOf("### Outputs"), readme.indexOf("### State and credentials"));
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .flatMap((line) => [...line.split(" | ")[0]!.matchAll(/`([a-z_<>]+)`/g)].map((match) => match[1]!));
}

/** An output name as a pattern: `<provider>` and `<route>` stand for any configured id. */
function matcher(documented: string): RegExp {
  return new RegExp(`^${documented.replace(/<provider>|<route>/g, "[a-z0-9_]+")}$`);
}

test("every output of the default stacks is in the README's Outputs table", () => {
  const patterns = documentedOutputs().map(matcher);
  const outputs = [...Object.keys(environment.output), ...Object.keys(regional.output)];
  expect(outputs.filter((output) => !patterns.some((pattern) => pattern.test(output)))).toEqual([]);
});

test("every output in the README's Outputs table exists in the default stacks", () => {
  const outputs = [...Object.keys(environment.output), ...Object.keys(regional.output)];
  for (const documented of documentedOutputs()) {
    expect([documented, outputs.some((output) => matcher(documented).test(output))]).toEqual([
      documented,
      true,
    ]);
  }
});

test("every physical name of the default configuration the README and docs spell out exists in the stacks", () => {
  const names = new Set(
    [environment, regional].flatMap((doc: any) =>
      allResources(doc).flatMap(([, , attributes]) =>
        ["name", "function_name", "bucket", "dashboard_name", "alarm_name", "stage_name", "layer_name"]
          .map((attribute) => attributes[attribute])
          .filter((value): value is string => typeof value === "string")
          .map(withStandInReferences),
      ),
    ),
  );
  const texts = ["README.md", "docs/architecture.md", "docs/signature-schemes.md", "docs/name-limits.md"].map(
    (file) => readFileSync(join(ROOT, file), "utf8"),
  );
  const spelled = texts.flatMap((text) =>
    [...text.matchAll(/`((?:alias\/)?whk-(?:dev|regional)[a-z0-9./-]*[a-z0-9])`/g)]
      .map((match) => match[1]!)
      .filter((name) => name !== "whk-dev" && !name.startsWith("whk-dev-pr-")),
  );
  expect(spelled.length).toBeGreaterThan(0);
  expect([...new Set(spelled)].filter((name) => !names.has(name))).toEqual([]);
});
