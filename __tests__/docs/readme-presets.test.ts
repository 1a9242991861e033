import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PRESET_IDS, PRESETS, type PresetDefinition } from "@webhooks/shared";
import { README_PATH, withReadmePresets } from "../../scripts/docs/readme-presets";

const readme = readFileSync(join(__dirname, "..", "..", README_PATH), "utf8");

test("the README's presets table is what `npm run docs` generates from the preset data", () => {
  expect(readme).toBe(withReadmePresets(readme));
});

test.each(PRESET_IDS)("%s: the README has its row, with what its secret holds and its setup steps", (id) => {
  const preset: PresetDefinition = PRESETS[id];
  expect(preset.setup?.length).toBeGreaterThan(40);
  const row = readme.split("\n").find((line) => line.startsWith(`| \`${id}\` |`));
  expect(row?.split(" | ")).toHaveLength(4);
});
