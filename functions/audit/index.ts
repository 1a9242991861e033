import { Logger } from "@aws-lambda-powertools/logger";
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { createAuditHandler } from "./handler";

// Log level and sampling come from the environment (POWERTOOLS_LOG_LEVEL / AWS_LAMBDA_LOG_LEVEL).
const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME || "webhooks-audit" });
const audit = createAuditHandler({ logger });

export async function handler(event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> {
  logger.addContext(context);
  return audit(event);
}
