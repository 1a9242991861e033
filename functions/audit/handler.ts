import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { type StatusTransition, transitionOf } from "./transition";

/** Where the audit trail goes: one entry per status change, and the records it could not read. */
export interface AuditTrail {
  transition(transition: StatusTransition): void;
  failure(message: string, attributes: Record<string, unknown>): void;
}

export interface AuditDeps {
  readonly trail: AuditTrail;
}

/**
 * The audit trail: one entry per status transition of a delivery record, from the table's stream
 * (NEW_AND_OLD_IMAGES). Stops at the first record it cannot read and reports it: Lambda resumes a
 * stream from the lowest reported sequence number, so records after it come again and logging
 * them now would log them twice. With bisect-on-error, retries isolate the bad record and the
 * on-failure destination receives it.
 *
 * @example export const handler = createAuditHandler({ trail: stdoutTrail() });
 */
export function createAuditHandler(deps: AuditDeps) {
  return async function audit(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
    for (const record of event.Records) {
      const sequenceNumber = record.dynamodb?.SequenceNumber;
      // Without a sequence number the record cannot be reported; failing the batch is the only signal.
      if (!sequenceNumber)
        throw new Error(`stream record ${record.eventID ?? "(no eventID)"} has no SequenceNumber`);
      try {
        const transition = transitionOf(record);
        if (transition) deps.trail.transition(transition);
      } catch (error) {
        deps.trail.failure("stream record not audited; reported for retry", {
          sequenceNumber,
          eventID: record.eventID,
          eventName: record.eventName,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
        return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
      }
    }
    return { batchItemFailures: [] };
  };
}
