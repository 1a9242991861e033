/**
 * Writes the generated documentation: docs/runbook.md from the alarm definitions.
 * A test fails while the committed file differs from what this writes.
 *
 *   npm run docs
 */
import { writeFileSync } from "node:fs";
import { RUNBOOK_PATH, renderRunbook } from "./docs/runbook";

writeFileSync(RUNBOOK_PATH, renderRunbook());
console.log(`wrote ${RUNBOOK_PATH}`);
