import {
  type AttributeValue,
  BatchGetItemCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DELIVERY_ID_MAX_CHARS,
  EVENT_TYPE_MAX_CHARS,
  PROVIDER_ID_MAX_CHARS,
  type ProviderRuntimeConfig,
  RecordAttribute,
} from "@webhooks/shared";
import {
  createHarness,
  PROVIDERS,
  providerConfig,
  signedEvent,
} from "../../__tests__/functions/validator/support/harness";
import { startLocalTable } from "../../__tests__/support/dynalite";
import { dynamoRecordStore } from "../../functions/router/adapters/records";
import { ROUTER_DEFAULTS } from "../../functions/router/config";
import { createRouterHandler } from "../../functions/router/handler";
import { createDynamoDbStore } from "../../functions/validator/adapters/dynamodb-store";
import { type IndexShape, itemBytes, writeUnits } from "../support/dynamo-units";
import { sqsEvent } from "../support/sqs-event";

/**
 * Write units a webhook is expected to cost, by step: what the design promises (one unit a status
 * change: no index, items under 1 KB). The bench prints the measured figure beside it and
 * __tests__/bench/write-units.test.ts fails when they differ, so a write or an index entry added
 * per webhook has to be priced here first.
 */
export const EXPECTED_WRITE_UNITS: Readonly<Record<string, number>> = {
  claim: 1,
  "mark QUEUED": 1,
  "mark ROUTED": 1,
};

/** Who sends the measured deliveries: a generic-scheme provider signing with acme's secret. */
export interface DeliveryShape {
  readonly providerId: string;
  readonly deliveryId: (n: number) => string;
  readonly eventType: string;
}

export const TYPICAL_DELIVERY: DeliveryShape = {
  providerId: "acme",
  deliveryId: (n) => `units-${n}`,
  eventType: "order.created",
};

/** The largest identity the validator accepts: every record attribute it fills at its limit. */
export const LARGEST_DELIVERY: DeliveryShape = {
  providerId: "p".repeat(PROVIDER_ID_MAX_CHARS),
  deliveryId: (n) => String(n).padStart(DELIVERY_ID_MAX_CHARS, "d"),
  eventType: "t".repeat(EVENT_TYPE_MAX_CHARS),
};

export interface TableUnits {
  readonly webhooks: number;
  /** Write units per webhook by step (claim, mark QUEUED, mark ROUTED). */
  readonly writesByStep: Readonly<Record<string, number>>;
  readonly writeUnitsPerWebhook: number;
  readonly readUnitsPerWebhook: number;
  /** Item writes per webhook: each is one stream record for the audit function. */
  readonly itemWritesPerWebhook: number;
  readonly indexWrites: Readonly<Record<string, number>>;
  /** Size of a routed record as stored (what the table holds until TTL deletes it). */
  readonly itemBytes: number;
}

type Item = Record<string, AttributeValue>;
// biome-ignore lint/suspicious/noExplicitAny: the Terraform JSON document is untyped by nature
type Doc = any;

/**
 * The secondary indexes of the stack's records table, as the synthesized document declares them:
 * whatever the construct adds is charged, whether or not the local table has it.
 */
export function recordIndexes(doc: Doc): IndexShape[] {
  const tables = Object.values(doc.resource?.aws_dynamodb_table ?? {}) as Doc[];
  const table = tables.find((candidate) => candidate.hash_key === RecordAttribute.webhookId);
  if (!table) throw new Error("the stack has no records table (hash key webhookId)");
  return [...(table.global_secondary_index ?? []), ...(table.local_secondary_index ?? [])].map(
    (index: Doc): IndexShape => ({
      name: index.name,
      partitionKey: index.hash_key ?? table.hash_key,
      sortKey: index.range_key,
      projection: index.projection_type,
    }),
  );
}

/**
 * Runs 1 KB deliveries through the real validator store and router record adapters against dynalite
 * and charges every write by its before and after images and the stack's indexes (dynalite does not
 * report units).
 */
export async function measureTableUnits(
  doc: Doc,
  webhooks = 200,
  shape: DeliveryShape = TYPICAL_DELIVERY,
): Promise<TableUnits> {
  const indexes = recordIndexes(doc);
  const table = await startLocalTable("bench-webhooks");
  const writesByStep: Record<string, number> = {};
  const indexWrites: Record<string, number> = {};
  let readUnits = 0;
  let itemWrites = 0;
  let lastItemBytes = 0;
  let step = "claim";
  const read = async (key: Item): Promise<Item | undefined> =>
    (
      await table.client.send(
        new GetItemCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }),
      )
    ).Item;
  const send = table.client.send.bind(table.client) as (command: unknown) => Promise<unknown>;
  const metered = {
    send: async (command: unknown) => {
      if (command instanceof BatchGetItemCommand) {
        const output = (await send(command)) as { Responses?: Record<string, Item[]> };
        // Strongly consistent reads: one unit per item up to 4 KB.
        readUnits += output.Responses?.[table.tableName]?.length ?? 0;
        return output;
      }
      const writes =
        command instanceof PutItemCommand ||
        command instanceof UpdateItemCommand ||
        command instanceof DeleteItemCommand;
      if (!writes) return send(command);
      const input = command.input as { Item?: Item; Key?: Item };
      const key = input.Key ?? { [RecordAttribute.webhookId]: input.Item![RecordAttribute.webhookId]! };
      const before = await read(key);
      const output = await send(command);
      const after = await read(key);
      lastItemBytes = itemBytes(after);
      const units = writeUnits(before, after, indexes);
      const label = command instanceof PutItemCommand ? "claim" : step;
      writesByStep[label] = (writesByStep[label] ?? 0) + units.total;
      for (const [index, count] of Object.entries(units.indexes))
        indexWrites[index] = (indexWrites[index] ?? 0) + count;
      itemWrites += 1;
      return output;
    },
  } as unknown as DynamoDBClient;

  try {
    const sender: ProviderRuntimeConfig = { ...providerConfig("acme"), id: shape.providerId };
    const validator = createHarness({
      store: createDynamoDbStore(metered, table.tableName),
      config: { providers: [...PROVIDERS.filter((provider) => provider.id !== sender.id), sender] },
    });
    const pad = "x".repeat(900);
    step = "mark QUEUED";
    for (let n = 0; n < webhooks; n++) {
      const event = signedEvent("acme", {
        body: `{"type":"${shape.eventType}","n":${n},"pad":"${pad}"}`,
        genericRoute: true,
        identity: { "X-Webhook-Id": shape.deliveryId(n) },
        headers: { "X-Provider-ID": shape.providerId },
      });
      const response = await validator.handler(event);
      if (response.statusCode !== 202) throw new Error(`delivery ${n} answered ${response.statusCode}`);
    }
    step = "mark ROUTED";
    const router = createRouterHandler({
      records: dynamoRecordStore(metered, table.tableName, { sleep: async () => {} }),
      bus: { putEvents: async (entries) => entries.map(() => ({ ok: true }) as const) },
      blobs: { get: async () => new Uint8Array(), put: async () => {} },
      clock: { now: () => validator.clock.now(), sleep: async () => {} },
      logger: { info: () => {}, warn: () => {}, error: () => {} },
      counters: { count: () => {}, publish: () => {} },
      config: { ...ROUTER_DEFAULTS, eventBusName: "bench-bus", payloadBucket: "bench-payloads" },
    });
    const messages = validator.queue.messages;
    for (let start = 0; start < messages.length; start += 10) {
      const event = sqsEvent(messages.slice(start, start + 10).map((message) => message.body));
      const result = await router(event, { getRemainingTimeInMillis: () => 30_000 });
      if (result.batchItemFailures.length > 0) throw new Error("the router reported failures");
    }
  } finally {
    await table.close();
  }
  const perWebhook = (value: number) => value / webhooks;
  const steps = Object.fromEntries(
    Object.entries(writesByStep).map(([name, units]) => [name, perWebhook(units)]),
  );
  return {
    webhooks,
    writesByStep: steps,
    writeUnitsPerWebhook: perWebhook(Object.values(writesByStep).reduce((a, b) => a + b, 0)),
    readUnitsPerWebhook: perWebhook(readUnits),
    itemWritesPerWebhook: perWebhook(itemWrites),
    indexWrites: Object.fromEntries(
      Object.entries(indexWrites).map(([name, units]) => [name, perWebhook(units)]),
    ),
    itemBytes: lastItemBytes,
  };
}
