/** Why a message was reported as failed; the `reason` dimension of the `failed` metric. */
export const FailureReason = {
  malformedEnvelope: "malformedEnvelope",
  /** A field EventBridge rejects whatever the size (DetailType over 128 characters, bad receivedAt). */
  invalidEntry: "invalidEntry",
  /** A claim-check reference outside the payload bucket. */
  payloadRefRejected: "payloadRefRejected",
  payloadUnavailable: "payloadUnavailable",
  payloadDigestMismatch: "payloadDigestMismatch",
  payloadUnparseable: "payloadUnparseable",
  claimCheckFailed: "claimCheckFailed",
  /** Even the by-reference entry is over the budget. */
  entryTooLarge: "entryTooLarge",
  /** A non-retryable PutEvents error (MalformedDetail, AccessDenied, …). */
  putEventsRejected: "putEventsRejected",
  putEventsRetriesExhausted: "putEventsRetriesExhausted",
  timeBudgetExhausted: "timeBudgetExhausted",
  /** A second copy of a webhook in the batch, whose first copy was not routed: both come again. */
  copyNotRouted: "copyNotRouted",
  /** FIFO: an earlier message of the same group failed, so this one must be redelivered after it. */
  earlierInGroupFailed: "earlierInGroupFailed",
} as const;
export type FailureReason = (typeof FailureReason)[keyof typeof FailureReason];

export interface Failure {
  readonly reason: FailureReason;
  /** For the log line: an error code or message, never payload content. */
  readonly detail: string;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
