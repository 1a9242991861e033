import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { createDynamoDbStore } from "./adapters/dynamodb-store";
import { createPowertoolsMetrics } from "./adapters/powertools-metrics";
import { createS3Blobs } from "./adapters/s3-blobs";
import { createSecretsManagerSource } from "./adapters/secrets-manager";
import { createSqsQueue } from "./adapters/sqs-queue";
import { validatorFromEnvironment } from "./wiring";

// Module scope runs once per execution environment: clients (and their connection pools) and the
// secret cache inside the handler are reused by every invocation. Nothing here does I/O.
const serviceName = process.env.POWERTOOLS_SERVICE_NAME || "webhooks-validator";
const logger = new Logger({ serviceName });
const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || "Webhooks",
  serviceName,
});

const validate = validatorFromEnvironment(process.env, (config) => ({
  secrets: createSecretsManagerSource(new SecretsManagerClient({})),
  store: createDynamoDbStore(new DynamoDBClient({}), config.tableName),
  queue: createSqsQueue(new SQSClient({}), config.queueUrl),
  blobs: createS3Blobs(new S3Client({}), config.payloadBucket),
  clock: { now: Date.now },
  logger,
  metrics: createPowertoolsMetrics(metrics),
}));

export async function handler(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  logger.addContext(context);
  return validate(event, context);
}
