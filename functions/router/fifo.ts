import type { SQSRecord } from "aws-lambda";
import { type Failure, FailureReason } from "./failure";

/** Lambda's SQS event source reads one queue; a FIFO queue's name ends in `.fifo`. */
export function isFifoBatch(records: readonly SQSRecord[]): boolean {
  return records[0]?.eventSourceARN.endsWith(".fifo") ?? false;
}

/**
 * Adds, after the first failed message of each message group, every later message of that group:
 * acknowledging one of them would let it overtake the failed message, which SQS redelivers. Records
 * are in the order Lambda received them, which is group order.
 *
 * @example withGroupOrder(records, new Map([["m1", failure]])) // m1 and every later message of m1's group
 */
export function withGroupOrder(
  records: readonly SQSRecord[],
  failures: ReadonlyMap<string, Failure>,
): Map<string, Failure> {
  const result = new Map(failures);
  const failedGroups = new Map<string, string>();
  for (const record of records) {
    const group = record.attributes.MessageGroupId ?? record.messageId;
    const blockedBy = failedGroups.get(group);
    if (blockedBy !== undefined && !result.has(record.messageId)) {
      result.set(record.messageId, {
        reason: FailureReason.earlierInGroupFailed,
        detail: `message ${blockedBy} of group ${group} failed first`,
      });
    } else if (blockedBy === undefined && result.has(record.messageId)) {
      failedGroups.set(group, record.messageId);
    }
  }
  return result;
}
