import { readFileSync } from "node:fs";
import { join } from "node:path";
import { alarmsOf, RUNBOOK_PATH, renderRunbook } from "../../scripts/docs/runbook";
import { DEFAULT_CONFIG } from "../../stacks/config";

const committed = readFileSync(join(__dirname, "..", "..", RUNBOOK_PATH), "utf8");

test("docs/runbook.md is what `npm run docs` generates from the alarm definitions", () => {
  expect(committed).toBe(renderRunbook());
});

test("every alarm of the default stack has its own runbook entry, by its synthesized name", () => {
  for (const alarm of alarmsOf(DEFAULT_CONFIG)) {
    expect(committed).toContain(`| \`${alarm.name}\` |`);
  }
});

test("the FIFO entry of ingest-oldest-message-age does not send operators to the concurrency setting FIFO ignores", () => {
  const fifo = alarmsOf({ ...DEFAULT_CONFIG, fifoIngestQueue: true }).find(
    (alarm) => alarm.purpose === "ingest-oldest-message-age",
  )!;
  expect(fifo.runbook).toContain("does not help");
  expect(fifo.runbook).not.toMatch(/raise it/);
});
