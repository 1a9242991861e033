import {
  DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
} from "@aws-sdk/client-dynamodb";
import { InternalException } from "@aws-sdk/client-eventbridge";
import { S3ServiceException } from "@aws-sdk/client-s3";
import { InternalServiceError } from "@aws-sdk/client-secrets-manager";
import { SQSServiceException } from "@aws-sdk/client-sqs";
import { RecordAttribute } from "@webhooks/shared";

/**
 * Every external call of the pipeline where a fault is injected, in the order a webhook meets them.
 * A fault is what the handler sees once the SDK's own retries have given up: it is thrown at the
 * SDK client's boundary (a mocked `send`, or an `initialize` middleware for DynamoDB).
 */
export type FaultPoint =
  /** validator: GetSecretValue (subject: the secret id) */
  | "secrets"
  /** validator: PutSecretValue of a stateful handshake's secret (subject: the secret id) */
  | "secretPut"
  /** validator: the conditional PutItem that claims the delivery record */
  | "claim"
  /** validator: PutObject of a claim-checked payload */
  | "bucketPut"
  /** validator: SendMessage to the ingest queue */
  | "sendMessage"
  /** validator: the UpdateItem that marks the record QUEUED */
  | "queuedMark"
  /** router: the BatchGetItem of the batch's statuses (subject: "call"; fails the whole invocation) */
  | "statusRead"
  /** router: GetObject of a claim-checked payload */
  | "s3Get"
  /** router: PutEvents answers 200 with some entries failed (subject: the entry's webhook) */
  | "putEventsPartial"
  /** router: the PutEvents call itself fails (subject: "call") */
  | "putEventsTotal"
  /** router: the UpdateItem that marks the record ROUTED */
  | "routedMark";

/** Points whose subject is the whole call rather than one webhook. */
const CALL_POINTS: ReadonlySet<FaultPoint> = new Set(["statusRead", "putEventsTotal"]);

export interface Fault {
  readonly point: FaultPoint;
  /** Calls that fail per subject (per webhook, per secret, or per call); `Infinity`: until cleared. */
  readonly times: number;
  /** Only these subjects (webhook ids, secret ids). @default every subject */
  readonly only?: ReadonlySet<string>;
  /**
   * `request`: the call never reached the service. `answer`: the service did the work and the
   * answer was lost (a timeout, a dropped connection): the caller still sees an error.
   * @default "request"
   */
  readonly lost?: "request" | "answer";
  /** PutEvents partial: the entry's ErrorCode. @default "ThrottlingException" */
  readonly code?: string;
}

export interface Injection {
  readonly point: FaultPoint;
  readonly subject: string;
  readonly lost: "request" | "answer";
}

/**
 * The faults of one scenario. Each call site asks {@link hit} whether this call fails; every
 * failure injected is recorded, so the invariants know e.g. which webhooks' ROUTED mark failed.
 */
export class FaultPlan {
  readonly injected: Injection[] = [];
  private faults: readonly Fault[];
  private readonly counts = new Map<string, number>();

  constructor(faults: readonly Fault[]) {
    this.faults = faults;
  }

  /** The fault this call suffers, if any (and counts it). */
  hit(point: FaultPoint, subject: string): Fault | undefined {
    const key = CALL_POINTS.has(point) ? "call" : subject;
    for (const [index, fault] of this.faults.entries()) {
      if (fault.point !== point || (fault.only && !fault.only.has(key))) continue;
      const counter = `${index}\n${key}`;
      const count = this.counts.get(counter) ?? 0;
      if (count >= fault.times) continue;
      this.counts.set(counter, count + 1);
      this.injected.push({ point, subject, lost: fault.lost ?? "request" });
      return fault;
    }
    return undefined;
  }

  /** The outage is over: no call fails from now on. */
  clear(): void {
    this.faults = [];
  }

  /** Subjects that suffered a fault at `point`. */
  subjects(point: FaultPoint): Set<string> {
    return new Set(this.injected.filter((entry) => entry.point === point).map((entry) => entry.subject));
  }

  count(point: FaultPoint): number {
    return this.injected.filter((entry) => entry.point === point).length;
  }
}

const metadata = (httpStatusCode: number) => ({ httpStatusCode, requestId: "injected-fault", attempts: 3 });

/** The errors the SDK clients would throw, built from their own exception classes. */
export const injectedError = {
  secrets: (operation = "GetSecretValue") =>
    new InternalServiceError({ message: `injected: ${operation} failed`, $metadata: metadata(500) }),
  dynamo: (point: FaultPoint) =>
    point === "claim" || point === "routedMark"
      ? new ProvisionedThroughputExceededException({
          message: `injected: ${point} throttled`,
          $metadata: metadata(400),
        })
      : new InternalServerError({ message: `injected: ${point} failed`, $metadata: metadata(500) }),
  s3: (operation: string) =>
    new S3ServiceException({
      name: "InternalError",
      $fault: "server",
      message: `injected: ${operation} failed`,
      $metadata: metadata(500),
    }),
  sqs: () =>
    new SQSServiceException({
      name: "InternalError",
      $fault: "server",
      message: "injected: SendMessage failed",
      $metadata: metadata(500),
    }),
  putEvents: () => new InternalException({ message: "injected: PutEvents failed", $metadata: metadata(500) }),
};

/** Which fault point a DynamoDB command is, and its subject; undefined for calls never faulted. */
function dynamoPoint(commandName: string, input: Record<string, unknown>) {
  const key = (input.Key ?? input.Item) as Record<string, { S?: string }> | undefined;
  const webhookId = key?.[RecordAttribute.webhookId]?.S ?? "?";
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
  if (commandName === "PutItemCommand") return { point: "claim" as const, subject: webhookId };
  if (commandName === "UpdateItemCommand" && ":queued" in values)
    return { point: "queuedMark" as const, subject: webhookId };
  if (commandName === "UpdateItemCommand" && ":routed" in values)
    return { point: "routedMark" as const, subject: webhookId };
  if (commandName === "BatchGetItemCommand") return { point: "statusRead" as const, subject: "call" };
  return undefined;
}

/**
 * A DynamoDB client on the local table (dynalite) whose calls pass through, except the ones the
 * plan fails: thrown before the request (`lost: "request"`) or after DynamoDB applied it
 * (`lost: "answer"`). One attempt per call: the fault stands for the SDK's retries exhausted.
 */
export function faultyDynamoClient(endpoint: string, plan: FaultPlan): DynamoDBClient {
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const target = dynamoPoint(context.commandName ?? "", args.input as Record<string, unknown>);
      const fault = target && plan.hit(target.point, target.subject);
      if (!target || !fault) return next(args);
      if (fault.lost === "answer") await next(args);
      throw injectedError.dynamo(target.point);
    },
    { step: "initialize", name: "e2eFaultInjection" },
  );
  return client;
}
