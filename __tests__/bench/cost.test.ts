import { readFileSync } from "node:fs";
import { estimateCost, PRICE_TABLE_PATH } from "../../bench/sections/cost";
import type { LogVolume } from "../../bench/sections/log-volume";
import type { TableUnits } from "../../bench/sections/write-units";
import { resourcesOf, synthStack } from "../support/synth";

const table: TableUnits = {
  webhooks: 1,
  writesByStep: { claim: 3, "mark QUEUED": 1, "mark ROUTED": 2 },
  writeUnitsPerWebhook: 6,
  readUnitsPerWebhook: 1,
  itemWritesPerWebhook: 3,
  indexWrites: { byProviderDay: 1, byPendingDay: 2 },
  itemBytes: 200,
};
const logs: LogVolume = {
  validatorBytesPerRequest: 264,
  routerBytesPerBatch: 921,
  auditBytesPerTransition: 641,
};
const prices = JSON.parse(readFileSync(PRICE_TABLE_PATH, "utf8"));
const { doc } = synthStack();
const estimate = estimateCost(doc, table, logs);
const line = (service: string, item: RegExp) =>
  estimate.perMillion.find((l) => l.service === service && item.test(l.item));

describe("cost per million webhooks from the synthesized stack", () => {
  test("every function is priced by requests and compute", () => {
    for (const [, fn] of resourcesOf(doc, "aws_lambda_function")) {
      expect(line("Lambda", new RegExp(`^${fn.function_name} requests$`))).toBeDefined();
      expect(line("Lambda", new RegExp(`^${fn.function_name} compute`))).toBeDefined();
    }
  });

  test("the validator runs once per webhook and the router once per batch of ten", () => {
    expect(line("Lambda", /validator requests/)!.quantity).toBe(1_000_000);
    expect(line("Lambda", /router requests/)!.quantity).toBe(100_000);
  });

  test("API Gateway and WAF are charged per request at the price table's rate", () => {
    expect(line("API Gateway", /REST/)!.usd).toBeCloseTo(prices.prices.apiGatewayRestPerMillionRequests.usd);
    expect(line("WAF", /requests/)!.usd).toBeCloseTo(prices.prices.wafPerMillionRequests.usd);
  });

  test("DynamoDB writes are the measured units times the on-demand price", () => {
    expect(line("DynamoDB", /write units/)!.usd).toBeCloseTo(
      6 * prices.prices.dynamoDbPerMillionWriteUnits.usd,
    );
  });

  test("the total is the sum of its lines", () => {
    const sum = estimate.perMillion.reduce((total, l) => total + l.usd, 0);
    expect(estimate.perMillionUsd).toBeCloseTo(sum, 10);
  });

  test("a FIFO ingest queue is priced at the FIFO rate", () => {
    const fifoDoc = structuredClone(doc);
    for (const queue of Object.values(fifoDoc.resource.aws_sqs_queue) as Array<Record<string, unknown>>)
      queue.fifo_queue = true;
    const fifo = estimateCost(fifoDoc, table, logs);
    const send = fifo.perMillion.find((l) => l.service === "SQS" && /ingest.*SendMessage/.test(l.item))!;
    expect(send.unitUsd * 1_000_000).toBeCloseTo(prices.prices.sqsFifoPerMillionRequests.usd);
  });

  test("a function the model cannot place is an error, not a silent zero", () => {
    const extra = structuredClone(doc);
    extra.resource.aws_lambda_function.stray = { function_name: "stray", memory_size: 128 };
    expect(() => estimateCost(extra, table, logs)).toThrow(/aws_lambda_function\.stray/);
  });

  test("fixed monthly charges count the stack's keys, secrets, alarms and WAF rules", () => {
    const monthly = (item: RegExp) => estimate.monthly.find((l) => item.test(l.item))!.quantity;
    expect(monthly(/signing secrets/)).toBe(resourcesOf(doc, "aws_secretsmanager_secret").length);
    expect(monthly(/alarms/)).toBe(resourcesOf(doc, "aws_cloudwatch_metric_alarm").length);
  });
});
