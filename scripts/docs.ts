/**
 * Writes the generated documentation: docs/runbook.md from the alarm definitions, and from the
 * preset data the presets section of docs/signature-schemes.md and the README's presets table. A
 * test fails while a committed file differs from what this writes.
 *
 *   npm run docs
 */
import { readFileSync, writeFileSync } from "node:fs";
import { SIGNATURE_SCHEMES_PATH, withPresets } from "./docs/presets";
import { README_PATH, withReadmePresets } from "./docs/readme-presets";
import { RUNBOOK_PATH, renderRunbook } from "./docs/runbook";

writeFileSync(RUNBOOK_PATH, renderRunbook());
console.log(`wrote ${RUNBOOK_PATH}`);
writeFileSync(SIGNATURE_SCHEMES_PATH, withPresets(readFileSync(SIGNATURE_SCHEMES_PATH, "utf8")));
console.log(`wrote the presets section of ${SIGNATURE_SCHEMES_PATH}`);
writeFileSync(README_PATH, withReadmePresets(readFileSync(README_PATH, "utf8")));
console.log(`wrote the presets table of ${README_PATH}`);
