/**
 * Writes the generated documentation: docs/runbook.md from the alarm definitions, and the presets
 * section of docs/signature-schemes.md from the preset data. A test fails while a committed file
 * differs from what this writes.
 *
 *   npm run docs
 */
import { readFileSync, writeFileSync } from "node:fs";
import { SIGNATURE_SCHEMES_PATH, withPresets } from "./docs/presets";
import { RUNBOOK_PATH, renderRunbook } from "./docs/runbook";

writeFileSync(RUNBOOK_PATH, renderRunbook());
console.log(`wrote ${RUNBOOK_PATH}`);
writeFileSync(SIGNATURE_SCHEMES_PATH, withPresets(readFileSync(SIGNATURE_SCHEMES_PATH, "utf8")));
console.log(`wrote the presets section of ${SIGNATURE_SCHEMES_PATH}`);
