import { Metrics } from "@aws-lambda-powertools/metrics";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { lazily, loggerOnFirstLine } from "@webhooks/shared";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { loadS3, s3BlobStore } from "./adapters/blobs";
import { eventBridgeBus } from "./adapters/bus";
import { systemClock } from "./adapters/clock";
import { powertoolsCounters } from "./adapters/metrics";
import { dynamoRecordStore } from "./adapters/records";
import { routerFromEnvironment } from "./wiring";

const serviceName = process.env.POWERTOOLS_SERVICE_NAME || "webhooks-router";
// Made on the first line: a batch that goes through writes none (its counters are the EMF line).
const logger = loggerOnFirstLine<Context>(() => {
  const { Logger } =
    require("@aws-lambda-powertools/logger") as typeof import("@aws-lambda-powertools/logger");
  return new Logger({ serviceName });
});
const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || "Webhooks",
});

const route = routerFromEnvironment(process.env, ({ tableName }) => ({
  records: dynamoRecordStore(new DynamoDBClient({}), tableName, { sleep: systemClock.sleep }),
  // One attempt per call: the router retries only the entries that failed (see eventBridgeBus).
  bus: eventBridgeBus(new EventBridgeClient({ maxAttempts: 1 })),
  // Made on the first claim check (a payload by reference, or an entry over the bus budget): few
  // batches need S3, and requiring its SDK module would add ~40 ms to every cold start.
  blobs: s3BlobStore(lazily(async () => new (await loadS3()).S3Client({}))),
  clock: systemClock,
  logger,
  counters: powertoolsCounters(metrics),
}));

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  logger.addContext(context);
  return route(event, context);
}
