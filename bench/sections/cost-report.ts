import { type CostLine, estimateCost } from "./cost";
import { measureLogVolume } from "./log-volume";
import { measureTableUnits } from "./write-units";

const GOAL_USD = 8;

function printLines(lines: readonly CostLine[]): void {
  for (const line of lines) {
    const quantity =
      line.quantity >= 1000 ? Math.round(line.quantity).toLocaleString("en-US") : line.quantity.toFixed(3);
    console.log(
      `${line.service.padEnd(16)} ${line.item.padEnd(62)} ${quantity.padStart(11)} ${line.unit.padEnd(9)} $${line.usd.toFixed(3).padStart(7)}`,
    );
  }
}

/** Measures table units and log bytes with the real adapters, then prices a million webhooks. */
export async function benchCost(doc: unknown): Promise<void> {
  const table = await measureTableUnits();
  const logs = await measureLogVolume();
  console.log("\n## DynamoDB units per webhook (real adapters on dynalite, charged by DynamoDB's rules)");
  const steps = Object.entries(table.writesByStep).map(([step, units]) => `${step} ${units}`);
  const indexes = Object.entries(table.indexWrites).map(([index, units]) => `${index} ${units}`);
  console.log(
    `write units ${table.writeUnitsPerWebhook} (${steps.join(", ")}; of which index writes: ${indexes.join(", ")}) — target ≤ 5`,
  );
  console.log(
    `read units ${table.readUnitsPerWebhook} (router status check), item ${table.itemBytes} B, ${table.itemWritesPerWebhook} stream records`,
  );
  console.log(
    `log bytes written by the functions: validator ${logs.validatorBytesPerRequest} B/request, router ${logs.routerBytesPerBatch} B/batch, audit ${logs.auditBytesPerTransition.toFixed(0)} B/transition`,
  );

  const estimate = estimateCost(doc, table, logs);
  console.log("\n## Estimated AWS cost per million 1 KB webhooks (synthesized stack × bench/prices.json)");
  printLines(estimate.perMillion);
  console.log(
    `${"total per million".padEnd(91)} $${estimate.perMillionUsd.toFixed(2).padStart(7)}  (goal ≤ $${GOAL_USD})`,
  );
  console.log("\nFixed monthly charges (whatever the volume)");
  printLines(estimate.monthly);
  console.log(`${"total per month".padEnd(91)} $${estimate.monthlyUsd.toFixed(2).padStart(7)}`);
}
