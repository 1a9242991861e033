import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { RecordAttribute, RecordStatus } from "@webhooks/shared";
import type { DynamoDBRecord } from "aws-lambda";

/**
 * What the audit trail keeps of one status change: the record, the change and when it happened.
 * A claim (a change into RECEIVED) also names the delivery, so the trail says which webhook a
 * `webhookId` is; later changes carry the id only (status, event type and times are in the table
 * while the record lives, and on the bus once routed). Short keys: every webhook writes three.
 */
export interface StatusTransition {
  readonly webhookId: string;
  /** Absent on INSERT. */
  readonly from?: string;
  /** The new status; EXPIRED when TTL deleted the record, DELETED for any other removal. */
  readonly to: string;
  /** When DynamoDB made the change: the stream record's ApproximateCreationDateTime, whole seconds, ISO-8601. */
  readonly at?: string;
  /** On a claim only. */
  readonly provider?: string;
  /** On a claim only. */
  readonly deliveryId?: string;
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
 * @example transitionOf(record) // { webhookId: "wh_…", from: "QUEUED", to: "ROUTED", at: "2026-11-23T12:00:01Z" }
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
  const claim = toStatus === RecordStatus.Received;
  const provider = claim ? optionalString(item, RecordAttribute.provider) : undefined;
  const deliveryId = claim ? optionalString(item, RecordAttribute.deliveryId) : undefined;
  const createdAt = stream.ApproximateCreationDateTime;
  return {
    webhookId,
    ...(fromStatus !== undefined && { from: fromStatus }),
    to: toStatus,
    ...(createdAt !== undefined && { at: isoSeconds(createdAt) }),
    ...(provider !== undefined && { provider }),
    ...(deliveryId !== undefined && { deliveryId }),
  };
}

/** `2026-11-23T12:00:00Z`: the stream's time has whole seconds, so no milliseconds to print. */
function isoSeconds(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
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
