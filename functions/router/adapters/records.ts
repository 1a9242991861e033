import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { RecordAttribute, RecordStatus } from "@webhooks/shared";
import type { RecordStore } from "../ports";

/** BatchGetItem reads at most 100 keys per call. */
const BATCH_GET_MAX_KEYS = 100;
/** Rounds for keys DynamoDB left unprocessed (throttling) before the batch fails as a whole. */
const UNPROCESSED_ROUNDS = 4;
const UNPROCESSED_BACKOFF_MS = 50;

export interface DynamoRecordStoreOptions {
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * The webhooks table: statuses in one strongly consistent BatchGetItem (per 100 ids), ROUTED marks
 * by conditional UpdateItem.
 */
export function dynamoRecordStore(
  client: DynamoDBClient,
  tableName: string,
  options: DynamoRecordStoreOptions,
): RecordStore {
  return {
    async statuses(webhookIds) {
      const statuses = new Map<string, RecordStatus>();
      // BatchGetItem rejects a request that names the same key twice.
      const unique = [...new Set(webhookIds)];
      for (let start = 0; start < unique.length; start += BATCH_GET_MAX_KEYS) {
        let keys = unique
          .slice(start, start + BATCH_GET_MAX_KEYS)
          .map((id) => ({ [RecordAttribute.webhookId]: { S: id } }));
        for (let round = 0; keys.length > 0; round++) {
          if (round === UNPROCESSED_ROUNDS)
            throw new Error(`BatchGetItem left ${keys.length} keys unprocessed`);
          if (round > 0) await options.sleep(UNPROCESSED_BACKOFF_MS * 2 ** round);
          const output = await client.send(
            new BatchGetItemCommand({
              RequestItems: {
                [tableName]: {
                  Keys: keys,
                  ConsistentRead: true,
                  ProjectionExpression: "#id, #status",
                  ExpressionAttributeNames: {
                    "#id": RecordAttribute.webhookId,
                    "#status": RecordAttribute.status,
                  },
                },
              },
            }),
          );
          for (const item of output.Responses?.[tableName] ?? []) {
            const id = item[RecordAttribute.webhookId]?.S;
            const status = item[RecordAttribute.status]?.S;
            if (id && status) statuses.set(id, status as RecordStatus);
          }
          keys = (output.UnprocessedKeys?.[tableName]?.Keys ?? []) as typeof keys;
        }
      }
      return statuses;
    },

    async markRouted(webhookId, nowMs) {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { [RecordAttribute.webhookId]: { S: webhookId } },
            UpdateExpression: "SET #status = :routed, #updatedAt = :now REMOVE #leaseUntil",
            ConditionExpression: "attribute_exists(#id)",
            ExpressionAttributeNames: {
              "#id": RecordAttribute.webhookId,
              "#status": RecordAttribute.status,
              "#updatedAt": RecordAttribute.updatedAt,
              "#leaseUntil": RecordAttribute.leaseUntil,
            },
            ExpressionAttributeValues: {
              ":routed": { S: RecordStatus.Routed },
              ":now": { N: String(nowMs) },
            },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
  };
}
