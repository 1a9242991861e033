import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { S3Client } from "@aws-sdk/client-s3";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { s3BlobStore } from "./adapters/blobs";
import { eventBridgeBus } from "./adapters/bus";
import { systemClock } from "./adapters/clock";
import { powertoolsCounters } from "./adapters/metrics";
import { dynamoRecordStore } from "./adapters/records";
import { routerFromEnvironment } from "./wiring";

const serviceName = process.env.POWERTOOLS_SERVICE_NAME || "webhooks-router";
const logger = new Logger({ serviceName });
const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || "Webhooks",
});

const route = routerFromEnvironment(process.env, ({ tableName }) => ({
  records: dynamoRecordStore(new DynamoDBClient({}), tableName, { sleep: systemClock.sleep }),
  // One attempt per call: the router retries only the entries that failed (see eventBridgeBus).
  bus: eventBridgeBus(new EventBridgeClient({ maxAttempts: 1 })),
  blobs: s3BlobStore(new S3Client({})),
  clock: systemClock,
  logger,
  counters: powertoolsCounters(metrics),
}));

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  logger.addContext(context);
  return route(event, context);
}
