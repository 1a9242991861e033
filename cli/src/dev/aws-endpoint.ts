import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { type LocalQueue, LocalQueueError, type ReceivedMessage } from "./local-queue";

/** SQS's limits the local endpoint checks like SQS does. */
const MAX_RECEIVE = 10;
const MAX_WAIT_SECONDS = 20;
const MAX_BATCH_ENTRIES = 10;

/** The SQS operations `webhooks status`, `redrive` and an SQS consumer use; anything else is refused by name. */
export const SQS_OPERATIONS = [
  "GetQueueUrl",
  "GetQueueAttributes",
  "ReceiveMessage",
  "DeleteMessage",
  "DeleteMessageBatch",
  "SendMessage",
  "SendMessageBatch",
  "StartMessageMoveTask",
  "ListMessageMoveTasks",
] as const;

type SqsOperation = (typeof SQS_OPERATIONS)[number];
type Input = Record<string, unknown>;

/** An SQS error answer: `__type` carries the name the SDK gives the thrown error. */
class SqsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface AwsEndpointOptions {
  /** Queues by name. */
  readonly queues: ReadonlyMap<string, LocalQueue>;
  /** dynalite's HTTP server: DynamoDB requests are handed to it as they arrive. */
  readonly dynamoDb: Server;
  /** Ends long polls when the server stops. */
  readonly stop: AbortSignal;
}

/**
 * A request listener speaking the AWS JSON 1.0 protocol for DynamoDB (dynalite answers) and for the
 * subset of SQS in {@link SQS_OPERATIONS} over the local queues, so the CLI's own status and redrive
 * code, and any SQS consumer, run unchanged against `webhooks dev` with `endpoint` set.
 */
export function awsEndpointListener(options: AwsEndpointOptions) {
  const byArn = (arn: unknown) => [...options.queues.values()].find((queue) => queue.settings.arn === arn);
  const byUrl = (url: unknown) => {
    const queue = [...options.queues.values()].find((candidate) => candidate.settings.url === url);
    if (!queue) throw new SqsError("QueueDoesNotExist", `The specified queue does not exist: ${String(url)}`);
    return queue;
  };

  const operations: Record<SqsOperation, (input: Input, request: IncomingMessage) => Promise<Input> | Input> =
    {
      GetQueueUrl(input) {
        const queue = options.queues.get(String(input.QueueName));
        if (!queue) throw new SqsError("QueueDoesNotExist", "The specified queue does not exist.");
        return { QueueUrl: queue.settings.url };
      },
      GetQueueAttributes(input) {
        const queue = byUrl(input.QueueUrl);
        const { visible, inFlight } = queue.counts();
        const { settings } = queue;
        const all: Record<string, string> = {
          QueueArn: settings.arn,
          ApproximateNumberOfMessages: String(visible),
          ApproximateNumberOfMessagesNotVisible: String(inFlight),
          VisibilityTimeout: String(Math.ceil(settings.visibilityTimeoutMs / 1000)),
          MaximumMessageSize: String(settings.maxMessageBytes),
          ...(settings.redrive && {
            RedrivePolicy: JSON.stringify({
              deadLetterTargetArn: settings.redrive.deadLetterQueue.settings.arn,
              maxReceiveCount: settings.redrive.maxReceiveCount,
            }),
          }),
        };
        const names = (input.AttributeNames as string[] | undefined) ?? [];
        const wanted = names.includes("All") ? Object.keys(all) : names;
        return {
          Attributes: Object.fromEntries(wanted.filter((name) => name in all).map((n) => [n, all[n]])),
        };
      },
      async ReceiveMessage(input, request) {
        const queue = byUrl(input.QueueUrl);
        const max = bounded(input.MaxNumberOfMessages, 1, MAX_RECEIVE, "MaxNumberOfMessages", 1);
        const wait = bounded(input.WaitTimeSeconds, 0, MAX_WAIT_SECONDS, "WaitTimeSeconds", 0);
        const visibility = input.VisibilityTimeout;
        const gone = new AbortController();
        request.socket.once("close", () => gone.abort());
        const messages = await queue.receive({
          max,
          waitMs: wait * 1000,
          ...(typeof visibility === "number" && { visibilityTimeoutMs: visibility * 1000 }),
          signal: AbortSignal.any([gone.signal, options.stop]),
        });
        const wanted = [
          ...((input.MessageSystemAttributeNames as string[] | undefined) ?? []),
          ...((input.AttributeNames as string[] | undefined) ?? []),
        ];
        const withAttributes = ((input.MessageAttributeNames as string[] | undefined) ?? []).length > 0;
        return { Messages: messages.map((message) => sqsMessage(message, wanted, withAttributes)) };
      },
      DeleteMessage(input) {
        if (!byUrl(input.QueueUrl).delete(String(input.ReceiptHandle))) {
          throw new SqsError("ReceiptHandleIsInvalid", "The receipt handle is not the message's latest.");
        }
        return {};
      },
      DeleteMessageBatch(input) {
        const queue = byUrl(input.QueueUrl);
        const entries = batchEntries(input);
        const deleted = entries.map((entry) => queue.delete(String(entry.ReceiptHandle)));
        return {
          Successful: entries.filter((_, index) => deleted[index]).map((entry) => ({ Id: entry.Id })),
          Failed: entries
            .filter((_, index) => !deleted[index])
            .map((entry) => ({
              Id: entry.Id,
              SenderFault: true,
              Code: "ReceiptHandleIsInvalid",
              Message: "The receipt handle is not the message's latest.",
            })),
        };
      },
      SendMessage(input) {
        const queue = byUrl(input.QueueUrl);
        const sent = queue.send(String(input.MessageBody ?? ""), stringAttributes(input.MessageAttributes));
        return { MessageId: sent.messageId, MD5OfMessageBody: sent.md5OfBody };
      },
      SendMessageBatch(input) {
        const queue = byUrl(input.QueueUrl);
        return {
          Successful: batchEntries(input).map((entry) => {
            const sent = queue.send(
              String(entry.MessageBody ?? ""),
              stringAttributes(entry.MessageAttributes),
            );
            return { Id: entry.Id, MessageId: sent.messageId, MD5OfMessageBody: sent.md5OfBody };
          }),
          Failed: [],
        };
      },
      StartMessageMoveTask(input) {
        const source = byArn(input.SourceArn);
        if (!source) throw new SqsError("ResourceNotFoundException", `no queue ${String(input.SourceArn)}`);
        const destination = input.DestinationArn === undefined ? undefined : byArn(input.DestinationArn);
        if (input.DestinationArn !== undefined && !destination) {
          throw new SqsError("ResourceNotFoundException", `no queue ${String(input.DestinationArn)}`);
        }
        return { TaskHandle: source.startMoveTask(destination).taskHandle };
      },
      ListMessageMoveTasks(input) {
        const source = byArn(input.SourceArn);
        if (!source) throw new SqsError("ResourceNotFoundException", `no queue ${String(input.SourceArn)}`);
        const max = bounded(input.MaxResults, 1, 10, "MaxResults", 1);
        return {
          Results: source
            .moveTasks()
            .slice(0, max)
            .map((task) => ({
              Status: task.status,
              SourceArn: task.sourceArn,
              ...(task.destinationArn && { DestinationArn: task.destinationArn }),
              ApproximateNumberOfMessagesMoved: task.moved,
              ApproximateNumberOfMessagesToMove: task.toMove,
              StartedTimestamp: task.startedAt,
            })),
        };
      },
    };

  return (request: IncomingMessage, response: ServerResponse): void => {
    const target = String(request.headers["x-amz-target"] ?? "");
    if (target.startsWith("DynamoDB_")) {
      options.dynamoDb.emit("request", request, response);
      return;
    }
    const name = target.startsWith("AmazonSQS.") ? target.slice("AmazonSQS.".length) : "";
    const operation = (SQS_OPERATIONS as readonly string[]).includes(name)
      ? operations[name as SqsOperation]
      : undefined;
    void readJson(request)
      .then(async (input) => {
        if (!operation) {
          throw new SqsError(
            "UnsupportedOperation",
            `webhooks dev serves DynamoDB and these SQS operations only: ${SQS_OPERATIONS.join(", ")} (got ${target || "no X-Amz-Target"})`,
          );
        }
        return operation(input, request);
      })
      .then(
        (output) => answer(response, 200, output),
        (error: unknown) => {
          const name =
            error instanceof SqsError
              ? error.code
              : error instanceof LocalQueueError
                ? error.name
                : "InternalError";
          answer(response, name === "InternalError" ? 500 : 400, {
            __type: `com.amazonaws.sqs#${name}`,
            message: (error as Error).message,
          });
        },
      );
  };
}

function sqsMessage(message: ReceivedMessage, wanted: readonly string[], withAttributes: boolean): Input {
  const all: Record<string, string> = {
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(message.sentAt),
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
    SenderId: "webhooks-dev",
  };
  const names = wanted.includes("All") ? Object.keys(all) : wanted.filter((name) => name in all);
  return {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    ...(names.length > 0 && { Attributes: Object.fromEntries(names.map((name) => [name, all[name]])) }),
    ...(withAttributes &&
      Object.keys(message.attributes).length > 0 && {
        MessageAttributes: Object.fromEntries(
          Object.entries(message.attributes).map(([name, value]) => [
            name,
            { DataType: "String", StringValue: value },
          ]),
        ),
      }),
  };
}

function stringAttributes(value: unknown): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [name, attribute] of Object.entries(
    (value ?? {}) as Record<string, { StringValue?: unknown }>,
  )) {
    if (typeof attribute?.StringValue === "string") attributes[name] = attribute.StringValue;
  }
  return attributes;
}

function batchEntries(input: Input): Input[] {
  const entries = input.Entries;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new SqsError("EmptyBatchRequest", "There should be at least one entry in the request.");
  }
  if (entries.length > MAX_BATCH_ENTRIES) {
    throw new SqsError("TooManyEntriesInBatchRequest", `at most ${MAX_BATCH_ENTRIES} entries per batch`);
  }
  return entries as Input[];
}

function bounded(value: unknown, min: number, max: number, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new SqsError("InvalidParameterValue", `${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

async function readJson(request: IncomingMessage): Promise<Input> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as Input;
  } catch {
    throw new SqsError("InvalidParameterValue", "the request body is not JSON");
  }
}

function answer(response: ServerResponse, status: number, body: Input): void {
  response.writeHead(status, {
    "content-type": "application/x-amz-json-1.0",
    "x-amzn-requestid": randomUUID(),
  });
  response.end(JSON.stringify(body));
}
