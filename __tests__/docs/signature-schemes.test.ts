import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PRESET_IDS } from "@webhooks/shared";
import { SIGNATURE_SCHEMES_PATH, withPresets } from "../../scripts/docs/presets";

const committed = readFileSync(join(__dirname, "..", "..", SIGNATURE_SCHEMES_PATH), "utf8");

test("docs/signature-schemes.md's presets section is what `npm run docs` generates from the preset data", () => {
  expect(committed).toBe(withPresets(committed));
});

test("every preset has its row, by id", () => {
  for (const id of PRESET_IDS) expect(committed).toContain(`| \`${id}\` |`);
});
