import { loadPrevious, type Previous, was } from "../support/previous";
import { type CostEstimate, type CostLine, estimateCost } from "./cost";
import { measureLogVolume } from "./log-volume";
import { EXPECTED_WRITE_UNITS, measureTableUnits, type TableUnits } from "./write-units";

/** The issue's goals, printed beside the figures they bound. */
const GOALS = { usdPerMillion: 8, writeUnits: 3, logBytes: 1024, xrayUsdPerMillion: 0.1 } as const;

function printLines(lines: readonly CostLine[]): void {
  for (const line of lines) {
    const quantity =
      line.quantity >= 1000 ? Math.round(line.quantity).toLocaleString("en-US") : line.quantity.toFixed(3);
    console.log(
      `${line.service.padEnd(16)} ${line.item.slice(0, 62).padEnd(62)} ${quantity.padStart(11)} ${line.unit.padEnd(9)} $${line.usd.toFixed(3).padStart(7)}`,
    );
  }
}

const steps = (byStep: Readonly<Record<string, number>>) =>
  Object.entries(byStep)
    .map(([step, units]) => `${step} ${units}`)
    .join(", ");

function printTableUnits(table: TableUnits, previous: Previous): void {
  const expected = Object.values(EXPECTED_WRITE_UNITS).reduce((a, b) => a + b, 0);
  const indexes = Object.entries(table.indexWrites).map(([index, units]) => `${index} ${units}`);
  const before = previous.writeUnits;
  console.log(
    "\n## DynamoDB units per webhook (real adapters on dynalite, the stack's indexes, DynamoDB's rules)",
  );
  console.log(
    `write units ${table.writeUnitsPerWebhook} (${steps(table.writesByStep)}; index writes: ${indexes.join(", ") || "none"}); expected ${expected}, goal ≤ ${GOALS.writeUnits}${was(`${before.perWebhook}: ${steps(before.byStep)}; ${before.indexWrites} index writes`)}`,
  );
  console.log(
    `read units ${table.readUnitsPerWebhook}${was(before.readUnits)} (router status check), item ${table.itemBytes} B${was(before.itemBytes, " B")}, ${table.itemWritesPerWebhook} stream records`,
  );
}

function printLogs(estimate: CostEstimate, previous: Previous): void {
  console.log(`\n## CloudWatch Logs per 1 KB webhook, every writer (goal ≤ ${GOALS.logBytes} B)`);
  const writers = new Set([
    ...Object.keys(estimate.logBytesPerWebhook),
    ...Object.keys(previous.logBytesPerWebhook),
  ]);
  writers.delete("total");
  for (const writer of [...writers, "total"]) {
    const bytes = estimate.logBytesPerWebhook[writer] ?? 0;
    console.log(
      `${writer.padEnd(16)} ${bytes.toFixed(0).padStart(6)} B${was(previous.logBytesPerWebhook[writer], " B")}`,
    );
  }
}

function printXray(estimate: CostEstimate, previous: Previous): void {
  const { total, ...sources } = estimate.tracesPerMillion;
  const usd = estimate.perMillion.find((line) => line.service === "X-Ray")?.usd ?? 0;
  const parts = Object.entries(sources).map(
    ([source, traces]) => `${source} ${Math.round(traces).toLocaleString("en-US")}`,
  );
  console.log(`\n## X-Ray per million webhooks (goal ≤ $${GOALS.xrayUsdPerMillion.toFixed(2)})`);
  console.log(
    `${Math.round(total ?? 0).toLocaleString("en-US")} traces = $${usd.toFixed(3)} (${parts.join("; ") || "no tracing"})${was(`${previous.xray.tracesPerMillion.toLocaleString("en-US")} traces = $${previous.xray.usdPerMillion.toFixed(2)}`)}`,
  );
}

function printCost(estimate: CostEstimate, previous: Previous): void {
  console.log("\n## Estimated AWS cost per million 1 KB webhooks (synthesized stack × bench/prices.json)");
  printLines(estimate.perMillion);
  console.log(
    `${"total per million".padEnd(91)} $${estimate.perMillionUsd.toFixed(2).padStart(7)}  (goal ≤ $${GOALS.usdPerMillion})${was(`$${previous.costPerMillion.total.toFixed(2)}`)}`,
  );
  const byService = new Map<string, number>();
  for (const line of estimate.perMillion)
    byService.set(line.service, (byService.get(line.service) ?? 0) + line.usd);
  console.log("\nby service        now      was");
  const services = new Set([...byService.keys(), ...Object.keys(previous.costPerMillion.byService)]);
  for (const service of [...services].sort((a, b) => (byService.get(b) ?? 0) - (byService.get(a) ?? 0))) {
    const then = previous.costPerMillion.byService[service];
    console.log(
      `${service.padEnd(16)} $${(byService.get(service) ?? 0).toFixed(3).padStart(6)}  ${then === undefined ? "" : `$${then.toFixed(3).padStart(6)}`}`,
    );
  }
  console.log("\nFixed monthly charges (whatever the volume)");
  printLines(estimate.monthly);
  console.log(
    `${"total per month".padEnd(91)} $${estimate.monthlyUsd.toFixed(2).padStart(7)}${was(`$${previous.costPerMillion.monthly.toFixed(2)}`)}`,
  );
}

/** Measures table units and log bytes with the real code, then prices a million webhooks. */
export async function benchCost(doc: unknown): Promise<void> {
  const previous = loadPrevious();
  console.log(
    `\n(was: bench/previous.json, measured ${previous.measured.date} at ${previous.measured.commit.slice(0, 7)})`,
  );
  const table = await measureTableUnits(doc);
  const logs = await measureLogVolume(doc);
  const estimate = estimateCost(doc, table, logs);
  printTableUnits(table, previous);
  printLogs(estimate, previous);
  printXray(estimate, previous);
  printCost(estimate, previous);
}
