import { Metrics } from "@aws-lambda-powertools/metrics";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { lazily, loggerOnFirstLine } from "@webhooks/shared";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { createDynamoDbStore } from "./adapters/dynamodb-store";
import { createHttpsKeyFetcher } from "./adapters/https-key-fetcher";
import { createPowertoolsMetrics } from "./adapters/powertools-metrics";
import { createS3Blobs, loadS3 } from "./adapters/s3-blobs";
import { createSecretsManagerSource } from "./adapters/secrets-manager";
import { createSecretsManagerHandshakeStore } from "./adapters/secrets-manager-handshakes";
import { createSqsQueue } from "./adapters/sqs-queue";
import { readProvidersFile } from "./config";
import { validatorFromEnvironment } from "./wiring";

// Module scope runs once per execution environment: clients (and their connection pools) and the
// secret cache inside the handler are reused by every invocation. The only I/O here reads the
// providers file bundled beside this file (the package's root, LAMBDA_TASK_ROOT). The S3 client is
// made on the first claim check: only bodies near the queue's size limit need it, and requiring its
// SDK module would add ~40 ms to every cold start. The logger is made on the first line: an
// accepted webhook writes none.
const serviceName = process.env.POWERTOOLS_SERVICE_NAME || "webhooks-validator";
const logger = loggerOnFirstLine<Context>(() => {
  const { Logger } =
    require("@aws-lambda-powertools/logger") as typeof import("@aws-lambda-powertools/logger");
  return new Logger({ serviceName });
});
const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || "Webhooks",
  serviceName,
});

const secretsManager = new SecretsManagerClient({});
const validate = validatorFromEnvironment(process.env, readProvidersFile(__dirname), (config) => ({
  secrets: createSecretsManagerSource(secretsManager),
  store: createDynamoDbStore(new DynamoDBClient({}), config.tableName),
  queue: createSqsQueue(new SQSClient({}), config.queueUrl),
  blobs: createS3Blobs(
    lazily(async () => new (await loadS3()).S3Client({})),
    config.payloadBucket,
  ),
  clock: { now: Date.now },
  keys: createHttpsKeyFetcher({ clock: { now: Date.now } }),
  // Only the secrets of providers with a stateful handshake are writable (the stack's IAM grant).
  handshakes: createSecretsManagerHandshakeStore(secretsManager),
  logger,
  metrics: createPowertoolsMetrics(metrics),
}));

export async function handler(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  logger.addContext(context);
  return validate(event, context);
}
