import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { createAuditHandler } from "./handler";
import { stdoutTrail } from "./stdout-trail";

// No logger library: the trail's lines are written as they are (see stdout-trail.ts), and the
// function needs nothing else at cold start but the stream reader.
const audit = createAuditHandler({ trail: stdoutTrail() });

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  return audit(event);
}
