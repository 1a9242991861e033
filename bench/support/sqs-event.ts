import type { SQSEvent, SQSRecord } from "aws-lambda";

let sequence = 0;

/** An SQS record as the event source mapping hands it to the router: first receive, standard queue. */
function sqsRecord(body: string): SQSRecord {
  sequence += 1;
  return {
    messageId: `bench-${sequence}`,
    receiptHandle: "r",
    body,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: "0",
      SenderId: "bench",
      ApproximateFirstReceiveTimestamp: "0",
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:bench-ingest",
    awsRegion: "us-east-1",
  };
}

/** A router event carrying these message bodies. */
export function sqsEvent(bodies: readonly string[]): SQSEvent {
  return { Records: bodies.map(sqsRecord) };
}
