import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { RecordAttribute } from "@webhooks/shared";
import type { DynamoDBRecord } from "aws-lambda";

/** What the audit log keeps of one status change. Record fields only: the table holds no payload. */
export interface StatusTransition {
  readonly webhookId: string;
  readonly provider?: string;
  readonly deliveryId?: string;
  readonly eventType?: string;
  /** Absent on INSERT. */
  readonly fromStatus?: string;
  /** The new status; EXPIRED when TTL deleted the record, DELETED for any other removal. */
  readonly toStatus: string;
  readonly receivedAt?: string;
  readonly eventName: "INSERT" | "MODIFY" | "REMOVE";
  /** ISO-8601 from the stream record's ApproximateCreationDateTime (whole seconds). */
  readonly approximateCreationTime?: string;
}

export class StreamRecordError extends Error {
  override readonly name = "StreamRecordError";
}

/** TTL deletions are the only writes DynamoDB makes itself, as this service principal. */
const TTL_PRINCIPAL = "dynamodb.amazonaws.com";

/**
 * The status transition a stream record carries, or undefined when it changes no status (a
 * MODIFY that only moves the lease). Throws {@link StreamRecordError} for a record it cannot read.
 *
 * @example transitionOf(record) // { webhookId: "wh_…", fromStatus: "QUEUED", toStatus: "ROUTED", eventName: "MODIFY", … }
 */
export function transitionOf(record: DynamoDBRecord): StatusTransition | undefined {
  const stream = record.dynamodb;
  if (!stream) throw new StreamRecordError("record has no dynamodb section");
  const eventName = record.eventName;
  if (eventName !== "INSERT" && eventName !== "MODIFY" && eventName !== "REMOVE") {
    throw new StreamRecordError(`unknown eventName ${String(eventName)}`);
  }
  const oldImage = eventName === "INSERT" ? undefined : image(stream.OldImage, "OldImage");
  const newImage = eventName === "REMOVE" ? undefined : image(stream.NewImage, "NewImage");
  const fromStatus = oldImage && statusOf(oldImage, "OldImage");
  let toStatus: string;
  if (newImage) toStatus = statusOf(newImage, "NewImage");
  else toStatus = isTtlDeletion(record) ? "EXPIRED" : "DELETED";
  if (fromStatus === toStatus) return undefined;

  const item = (newImage ?? oldImage)!;
  const webhookId = item[RecordAttribute.webhookId];
  if (typeof webhookId !== "string" || webhookId === "")
    throw new StreamRecordError("image has no webhookId");
  return {
    webhookId,
    provider: optionalString(item, RecordAttribute.provider),
    deliveryId: optionalString(item, RecordAttribute.deliveryId),
    eventType: optionalString(item, RecordAttribute.eventType),
    fromStatus,
    toStatus,
    receivedAt: optionalString(item, RecordAttribute.receivedAt),
    eventName,
    approximateCreationTime:
      stream.ApproximateCreationDateTime === undefined
        ? undefined
        : new Date(stream.ApproximateCreationDateTime * 1000).toISOString(),
  };
}

function image(raw: unknown, name: string): Record<string, unknown> {
  if (!raw || typeof raw !== "object") throw new StreamRecordError(`record has no ${name}`);
  try {
    return unmarshall(raw as Record<string, AttributeValue>);
  } catch (error) {
    throw new StreamRecordError(`${name} cannot be unmarshalled: ${(error as Error).message}`);
  }
}

function statusOf(item: Record<string, unknown>, name: string): string {
  const status = item[RecordAttribute.status];
  if (typeof status !== "string" || status === "") throw new StreamRecordError(`${name} has no status`);
  return status;
}

function optionalString(item: Record<string, unknown>, attribute: string): string | undefined {
  const value = item[attribute];
  return typeof value === "string" ? value : undefined;
}

function isTtlDeletion(record: DynamoDBRecord): boolean {
  return record.userIdentity?.type === "Service" && record.userIdentity?.principalId === TTL_PRINCIPAL;
}
