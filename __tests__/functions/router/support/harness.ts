import { GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { type Envelope, RecordAttribute, type RecordStatus } from "@webhooks/shared";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { s3BlobStore } from "../../../../functions/router/adapters/blobs";
import { eventBridgeBus } from "../../../../functions/router/adapters/bus";
import { dynamoRecordStore } from "../../../../functions/router/adapters/records";
import { ROUTER_DEFAULTS, type RouterConfig } from "../../../../functions/router/config";
import { createRouterHandler } from "../../../../functions/router/handler";
import type { RecordStore } from "../../../../functions/router/ports";
import type { LocalTable } from "../../../support/dynalite";
import { PAYLOAD_BUCKET } from "./factories";
import { FakeClock, RecordingCounters, RecordingLog } from "./fakes";

export const EVENT_BUS_NAME = "wh-test-bus";
/** Lambda's remaining time in the tests unless a test says otherwise (the router's 30 s timeout). */
export const REMAINING_MS = 30_000;

export interface HarnessOptions {
  readonly config?: Partial<RouterConfig>;
  /** Wraps the real DynamoDB store, e.g. to inject a failure. */
  readonly records?: (store: RecordStore) => RecordStore;
}

/**
 * The router over its real adapters: DynamoDB on dynalite, EventBridge and S3 mocked at the SDK
 * boundary (every PutEvents entry succeeds until a test says otherwise), a fake clock, recording
 * logger and counters.
 */
export function routerHarness(table: LocalTable, options: HarnessOptions = {}) {
  const eventBridgeClient = new EventBridgeClient({ region: "us-east-1", maxAttempts: 1 });
  const s3Client = new S3Client({ region: "us-east-1" });
  const eventBridge: AwsClientStub<EventBridgeClient> = mockClient(eventBridgeClient);
  const s3: AwsClientStub<S3Client> = mockClient(s3Client);
  eventBridge.on(PutEventsCommand).callsFake(acceptAll);

  const clock = new FakeClock();
  const log = new RecordingLog();
  const counters = new RecordingCounters();
  const realStore = dynamoRecordStore(table.client, table.tableName, { sleep: (ms) => clock.sleep(ms) });
  const config: RouterConfig = {
    ...ROUTER_DEFAULTS,
    eventBusName: EVENT_BUS_NAME,
    payloadBucket: PAYLOAD_BUCKET,
    ...options.config,
  };
  const handler = createRouterHandler({
    records: options.records ? options.records(realStore) : realStore,
    bus: eventBridgeBus(eventBridgeClient),
    blobs: s3BlobStore(async () => s3Client),
    clock,
    logger: log,
    counters,
    config,
    random: () => 0.5,
  });

  return {
    eventBridge,
    s3,
    clock,
    log,
    counters,
    config,
    route: (event: SQSEvent, remainingMs = REMAINING_MS): Promise<SQSBatchResponse> =>
      handler(event, { getRemainingTimeInMillis: () => remainingMs }),
    /** Every PutEvents call's entries, in call order. */
    putCalls: (): PutEventsRequestEntry[][] =>
      eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries ?? []),
    /** The Detail of every entry put, parsed. */
    putDetails: (): Record<string, unknown>[] =>
      eventBridge
        .commandCalls(PutEventsCommand)
        .flatMap((call) => call.args[0].input.Entries ?? [])
        .map((entry) => JSON.parse(entry.Detail ?? "null")),
    /** Serves these bytes for GetObject of `key`. */
    serveObject: (key: string, bytes: Uint8Array) => {
      s3.on(GetObjectCommand, { Bucket: PAYLOAD_BUCKET, Key: key }).resolves({
        Body: { transformToByteArray: async () => bytes } as never,
      });
    },
    s3Puts: () => s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input),
  };
}

/** A PutEvents answer with an event id for every entry. */
export function acceptAll(input: { Entries?: readonly unknown[] }) {
  return {
    FailedEntryCount: 0,
    Entries: (input.Entries ?? []).map((_, index) => ({ EventId: `event-${index}` })),
  };
}

/** Stores the delivery record the validator would have left for this envelope. */
export async function putRecord(table: LocalTable, envelope: Envelope, status: RecordStatus): Promise<void> {
  await table.client.send(
    new PutItemCommand({
      TableName: table.tableName,
      Item: {
        [RecordAttribute.webhookId]: { S: envelope.webhookId },
        [RecordAttribute.provider]: { S: envelope.provider },
        [RecordAttribute.deliveryId]: { S: envelope.deliveryId },
        [RecordAttribute.eventType]: { S: envelope.eventType },
        [RecordAttribute.status]: { S: status },
        [RecordAttribute.receivedAt]: { S: envelope.receivedAt },
        [RecordAttribute.leaseUntil]: { N: "1795428001000" },
        [RecordAttribute.expiresAt]: { N: "1796032800" },
        [RecordAttribute.updatedAt]: { N: "1795428000500" },
      },
    }),
  );
}

export async function getRecord(
  table: LocalTable,
  webhookId: string,
): Promise<Record<string, unknown> | undefined> {
  const output = await table.client.send(
    new GetItemCommand({
      TableName: table.tableName,
      Key: { [RecordAttribute.webhookId]: { S: webhookId } },
      ConsistentRead: true,
    }),
  );
  return output.Item && unmarshall(output.Item);
}
