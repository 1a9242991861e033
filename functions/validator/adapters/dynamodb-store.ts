import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { RecordAttribute as A, RecordStatus } from "@webhooks/shared";
import type { ClaimRequest, ClaimResult, StorePort } from "../ports";

/**
 * The idempotency records in DynamoDB. The claim is one conditional PutItem (it also sets the
 * content digest) and marking QUEUED one conditional UpdateItem: one write unit each (the table has
 * no index, the item is under 1 KB).
 *
 * @example const store = createDynamoDbStore(new DynamoDBClient({}), process.env.TABLE_NAME!)
 */
export function createDynamoDbStore(client: DynamoDBClient, tableName: string): StorePort {
  /** The current record's status and digest, read strongly consistent (when the condition failure carried no item). */
  async function currentRecord(webhookId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: marshall({ [A.webhookId]: webhookId }),
        ConsistentRead: true,
        ProjectionExpression: "#status, #contentDigest",
        ExpressionAttributeNames: { "#status": A.status, "#contentDigest": A.contentDigest },
      }),
    );
    return Item && unmarshall(Item);
  }

  return {
    async claim(request: ClaimRequest): Promise<ClaimResult> {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: marshall({
              [A.webhookId]: request.webhookId,
              [A.provider]: request.provider,
              [A.deliveryId]: request.deliveryId,
              [A.eventType]: request.eventType,
              [A.status]: RecordStatus.Received,
              [A.receivedAt]: request.receivedAt,
              [A.leaseUntil]: request.leaseUntil,
              [A.expiresAt]: request.expiresAt,
              [A.updatedAt]: request.nowMs,
              [A.contentDigest]: request.contentDigest,
            }),
            // TTL deletes lazily (up to days late), so an expired record still present counts as
            // absent. A lapsed lease is taken over only by the same content: another body under
            // the delivery id is a conflict whatever the status (records from before digests
            // were kept have none and compare equal).
            ConditionExpression:
              "attribute_not_exists(#webhookId) OR #expiresAt < :nowSec OR (#status = :received AND #leaseUntil < :nowMs AND (attribute_not_exists(#contentDigest) OR #contentDigest = :contentDigest))",
            ExpressionAttributeNames: {
              "#webhookId": A.webhookId,
              "#status": A.status,
              "#expiresAt": A.expiresAt,
              "#leaseUntil": A.leaseUntil,
              "#contentDigest": A.contentDigest,
            },
            ExpressionAttributeValues: marshall({
              ":nowSec": Math.floor(request.nowMs / 1000),
              ":nowMs": request.nowMs,
              ":received": RecordStatus.Received,
              ":contentDigest": request.contentDigest,
            }),
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          }),
        );
        return { outcome: "claimed" };
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        const item = (error as { Item?: Parameters<typeof unmarshall>[0] }).Item;
        const current = item ? unmarshall(item) : await currentRecord(request.webhookId);
        const status = current?.[A.status];
        const digest = current?.[A.contentDigest];
        if (digest !== undefined && digest !== request.contentDigest)
          return { outcome: "conflict", status: status as RecordStatus };
        return status === RecordStatus.Queued || status === RecordStatus.Routed
          ? { outcome: "duplicate", status }
          : // RECEIVED with a live lease, or gone between the two calls: the sender should retry.
            { outcome: "in-progress" };
      }
    },

    async markQueued(webhookId: string, nowMs: number): Promise<void> {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: marshall({ [A.webhookId]: webhookId }),
            UpdateExpression: "SET #status = :queued, #updatedAt = :nowMs REMOVE #leaseUntil",
            ConditionExpression: "#status = :received",
            ExpressionAttributeNames: {
              "#status": A.status,
              "#updatedAt": A.updatedAt,
              "#leaseUntil": A.leaseUntil,
            },
            ExpressionAttributeValues: marshall({
              ":queued": RecordStatus.Queued,
              ":received": RecordStatus.Received,
              ":nowMs": nowMs,
            }),
          }),
        );
      } catch (error) {
        // Already QUEUED/ROUTED (a retry that took over a lapsed lease got there first): nothing to do.
        if (!isConditionalCheckFailed(error)) throw error;
      }
    },

    async release(webhookId: string, leaseUntil: number): Promise<void> {
      try {
        await client.send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: marshall({ [A.webhookId]: webhookId }),
            // Only our own claim: after our lease lapsed another invocation may hold the record.
            ConditionExpression: "#status = :received AND #leaseUntil = :leaseUntil",
            ExpressionAttributeNames: { "#status": A.status, "#leaseUntil": A.leaseUntil },
            ExpressionAttributeValues: marshall({
              ":received": RecordStatus.Received,
              ":leaseUntil": leaseUntil,
            }),
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    },
  };
}

function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === "ConditionalCheckFailedException";
}
