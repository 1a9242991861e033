import { readFileSync } from "node:fs";
import { estimateCost, PRICE_TABLE_PATH } from "../../bench/sections/cost";
import type { LogVolume } from "../../bench/sections/log-volume";
import type { TableUnits } from "../../bench/sections/write-units";
import { resourcesOf, synthStack } from "../support/synth";

const table: TableUnits = {
  webhooks: 1,
  writesByStep: { claim: 1, "mark QUEUED": 1, "mark ROUTED": 1 },
  writeUnitsPerWebhook: 3,
  readUnitsPerWebhook: 1,
  itemWritesPerWebhook: 3,
  indexWrites: {},
  itemBytes: 150,
};
const logs: LogVolume = {
  accessLogBytesPerRequest: 185,
  validatorBytesPerRequest: 264,
  routerBytesPerBatch: 500,
  auditBytesPerWebhook: 370,
};
/** The parts of a synthesized aws_lambda_function these tests change. */
type FunctionJson = { logging_config: { system_log_level: string }; tracing_config: { mode: string } };
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
      3 * prices.prices.dynamoDbPerMillionWriteUnits.usd,
    );
  });

  test("log bytes per webhook are each writer's bytes, platform lines only where Lambda writes them", () => {
    expect(estimate.logBytesPerWebhook).toEqual({
      "access log": 185,
      validator: 264,
      router: 50,
      audit: 370,
      total: 185 + 264 + 50 + 370,
    });
    const chatty = structuredClone(doc);
    for (const fn of Object.values(chatty.resource.aws_lambda_function) as FunctionJson[])
      fn.logging_config.system_log_level = "INFO";
    const perWebhook = estimateCost(chatty, table, logs).logBytesPerWebhook["platform lines"]!;
    // validator once a webhook, router once a batch of ten, audit once per 25 stream records (3 a webhook)
    expect(perWebhook).toBeCloseTo(
      prices.assumptions.lambdaPlatformLogBytesPerInvocation.value * (1 + 1 / 10 + 3 / 25),
    );
  });

  test("X-Ray is priced from the stage's own sampling rule: one trace a second at 50/s", () => {
    expect(estimate.tracesPerMillion.total).toBe(1_000_000 / 50);
    expect(line("X-Ray", /traces/)!.usd).toBeCloseTo(0.1);
  });

  test("a function traced Active behind an event source adds Lambda's fixed, unconfigurable rate", () => {
    const active = structuredClone(doc);
    for (const fn of Object.values(active.resource.aws_lambda_function) as FunctionJson[])
      fn.tracing_config = { mode: "Active" };
    const traces = estimateCost(active, table, logs).tracesPerMillion;
    // router: 5 invocations a second → 1 + 5 % of 4 sampled a second, over 20,000 seconds a million webhooks
    expect(traces["whk-dev-router (Lambda's fixed rate)"]).toBeCloseTo(1.2 * 20_000);
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
