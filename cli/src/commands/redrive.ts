import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from "@aws-sdk/client-eventbridge";
import { type FirehoseClient, PutRecordBatchCommand } from "@aws-sdk/client-firehose";
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  type ListMessageMoveTasksResultEntry,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { integerOption, parseCommandLine } from "../args";
import {
  AWS_HELP,
  AWS_OPTIONS,
  confirmAction,
  describeAwsError,
  isAccessDenied,
  type ResolvedAws,
  resolveAws,
} from "../aws";
import { type Command, CommandError, ExitCode, type Io, UsageError } from "../command";
import {
  DEV_HELP,
  DEV_OPTIONS,
  type EventDlq,
  fromStack,
  loadStack,
  type QueueRedrive,
  type StackModel,
} from "../stack";

/** SQS's bounds for MaxNumberOfMessagesPerSecond. */
const MAX_RATE = 500;
/** Redelivery: events per second when --rate is not given. */
const DEFAULT_REDELIVERY_RATE = 10;
/** Redelivery: a received message stays hidden this long; one that was not delivered reappears after it. */
const REDELIVERY_VISIBILITY_SECONDS = 120;
const WATCH_INTERVAL_MS = 5_000;

export const redriveCommand: Command = {
  name: "redrive",
  summary: "move a dead-letter queue's messages back to where they failed to go",
  help: `Usage: webhooks redrive [--queue <name>] [--rate <msgs/s>] [--watch] [--yes]
       webhooks redrive --target-dlq <name> [--rate <events/s>] [--max <n>] [--yes]

--queue: the dead-letter queue of an SQS queue (the ingest queue, a route's consumer queue) goes
back to that queue with an SQS message move task (StartMessageMoveTask, destination = the
original source queue). The task runs in SQS; the command prints its handle and status.
  --queue <name>         the source queue: ingest (default), a route id (payments) or a name
                         from the stack (route-payments, whk-dev-ingest)
  --rate <n>             messages per second, 1..${MAX_RATE} (default: SQS's system-optimized rate)
  --watch                poll the task every 5 s until it completes

--target-dlq: an EventBridge dead-letter queue has no SQS source queue, so message move tasks do
not apply: each event (the message body, as EventBridge dead-lettered it) goes where EventBridge
failed to deliver it, and its message is deleted only after that succeeded.
  --target-dlq <name>    a route id (payments): SendMessage to that route's consumer queue; only
                         its consumers receive the events again (they dedupe on detail.webhookId)
                         archive: PutRecordBatch to the archive's Firehose delivery stream
                         bus: the bus's own DLQ (events it failed to process, e.g. encrypt or
                         decrypt): PutEvents on the bus again, which every matching rule receives;
                         the bus admits only the router and the configuration's
                         eventBusPublisherArns, so your role must be listed there
  --rate <n>             events per second, 1..${MAX_RATE} (default ${DEFAULT_REDELIVERY_RATE})
  --max <n>              stop after this many messages (default: until the queue is empty)

Both print the plan first (queues, destination, region, rate), then the queue's approximate
message count, and ask before acting.
  --yes, -y              act without asking (required when standard input is not a terminal)

${AWS_HELP}
${DEV_HELP}

Examples:
  webhooks redrive                              # ingest DLQ → ingest queue
  webhooks redrive --queue payments --rate 5 --watch
  webhooks redrive --target-dlq payments --rate 20 --yes --stack webhooks-prod`,

  async run(args, io) {
    const { values } = parseCommandLine(args, {
      ...AWS_OPTIONS,
      ...DEV_OPTIONS,
      yes: { type: "boolean", short: "y" },
      queue: { type: "string" },
      "target-dlq": { type: "string" },
      rate: { type: "string" },
      max: { type: "string" },
      watch: { type: "boolean" },
    });
    if (values.queue !== undefined && values["target-dlq"] !== undefined) {
      throw new UsageError("--queue and --target-dlq are exclusive: redrive one dead-letter queue at a time");
    }
    const rate = integerOption(values.rate, "rate", 1, MAX_RATE);
    const max = integerOption(values.max, "max", 1, 1_000_000);
    const stack = loadStack(values, io);

    if (values["target-dlq"] !== undefined) {
      if (values.watch) throw new UsageError("--watch applies to --queue (message move tasks) only");
      const target = findEventDlq(stack, values["target-dlq"]);
      const aws = resolveAws(values, stack, io.env, `queue ${target.dlq}`);
      return redeliver(target, stack, aws, rate ?? DEFAULT_REDELIVERY_RATE, max, values.yes, io);
    }
    if (max !== undefined)
      throw new UsageError("--max applies to --target-dlq only (a move task moves every message)");
    const redrive = findRedrive(stack, values.queue ?? "ingest");
    const aws = resolveAws(values, stack, io.env, `queue ${redrive.dlq}`);
    return moveTask(redrive, aws, rate, values.watch ?? false, values.yes, io);
  },
};

/** What a user may type for a queue: its label, without `route-` or `.fifo`, or a full queue name. */
function aliases(label: string, ...names: string[]): string[] {
  const plain = label.replace(/\.fifo$/, "");
  return [label, plain, plain.replace(/^route-/, ""), ...names];
}

function findRedrive(stack: StackModel, name: string): QueueRedrive {
  const found = stack.redrives.find((r) => aliases(r.label, r.sourceQueue, r.dlq).includes(name));
  if (found) return found;
  const known = stack.redrives.map((r) => r.label).join(", ") || "none";
  const hint = stack.eventDlqs.some((d) => aliases(d.label, d.dlq).includes(name))
    ? `; ${name} is an EventBridge dead-letter queue: use --target-dlq ${name}`
    : "";
  throw new UsageError(`--queue: ${name} is not a queue with an SQS dead-letter queue (${known})${hint}`);
}

function findEventDlq(stack: StackModel, name: string): EventDlq {
  const found = stack.eventDlqs.find((d) => aliases(d.label, d.dlq).includes(name));
  if (found) return found;
  const known = stack.eventDlqs.map((d) => d.label).join(", ") || "none";
  const hint = stack.redrives.some((r) => aliases(r.label, r.sourceQueue, r.dlq).includes(name))
    ? `; ${name} has an SQS source queue: use --queue ${name}`
    : "";
  throw new UsageError(`--target-dlq: ${name} is not an EventBridge dead-letter queue (${known})${hint}`);
}

interface QueueFacts {
  readonly url: string;
  readonly arn: string;
  readonly visible: number;
  readonly inFlight: number;
}

async function urlOf(sqs: SQSClient, name: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  if (!QueueUrl) throw new CommandError(`GetQueueUrl returned no URL for ${name}`);
  return QueueUrl;
}

async function queueFacts(sqs: SQSClient, name: string): Promise<QueueFacts> {
  const QueueUrl = await urlOf(sqs, name);
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl,
      AttributeNames: ["QueueArn", "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return {
    url: QueueUrl,
    arn: Attributes.QueueArn ?? "",
    visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

async function moveTask(
  redrive: QueueRedrive,
  aws: ResolvedAws,
  rate: number | undefined,
  watch: boolean,
  yes: boolean | undefined,
  io: Io,
): Promise<ExitCode> {
  io.stdout.write(
    [
      `Redrive ${redrive.dlq} → ${redrive.sourceQueue} (its source queue) with an SQS message move task`,
      `  region:   ${aws.regionNote}`,
      `  rate:     ${rate === undefined ? "SQS's system-optimized rate" : `${rate} messages/s`}`,
      "",
    ].join("\n"),
  );
  if (aws.warning) io.stderr.write(`${aws.warning}\n`);
  const sqs = io.aws.sqs(aws.config);
  const dlq = await queueFacts(sqs, redrive.dlq);
  io.stdout.write(`  messages: ≈ ${dlq.visible} waiting, ${dlq.inFlight} in flight\n`);
  const latest = await latestTask(sqs, dlq.arn);
  if (latest?.Status === "RUNNING") {
    throw new CommandError(
      `a message move task is already running on ${redrive.dlq} (handle ${latest.TaskHandle}); wait for it, or cancel it with: aws sqs cancel-message-move-task --task-handle ${latest.TaskHandle}`,
    );
  }
  if (dlq.visible === 0 && dlq.inFlight === 0) {
    io.stdout.write(`nothing to redrive: ${redrive.dlq} is empty\n`);
    return ExitCode.ok;
  }
  const refused = await confirmAction(
    yes,
    `Move the messages of ${redrive.dlq} back to ${redrive.sourceQueue}?`,
    "redrive",
    io,
  );
  if (refused !== undefined) return refused;

  const { TaskHandle } = await sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: dlq.arn,
      ...(rate !== undefined ? { MaxNumberOfMessagesPerSecond: rate } : {}),
    }),
  );
  io.stdout.write(`started message move task ${TaskHandle}\n`);
  let task = await latestTask(sqs, dlq.arn);
  io.stdout.write(`${describeTask(task)}\n`);
  while (watch && task?.Status === "RUNNING") {
    await io.sleep(WATCH_INTERVAL_MS);
    task = await latestTask(sqs, dlq.arn);
    io.stdout.write(`${describeTask(task)}\n`);
  }
  return task?.Status === "FAILED" || task?.Status === "CANCELLED" ? ExitCode.failed : ExitCode.ok;
}

async function latestTask(
  sqs: SQSClient,
  sourceArn: string,
): Promise<ListMessageMoveTasksResultEntry | undefined> {
  const { Results } = await sqs.send(
    new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 1 }),
  );
  return Results?.[0];
}

function describeTask(task: ListMessageMoveTasksResultEntry | undefined): string {
  if (!task) return "status: unknown (ListMessageMoveTasks lists no task yet)";
  const moved = task.ApproximateNumberOfMessagesMoved ?? 0;
  const toMove = task.ApproximateNumberOfMessagesToMove;
  const rate = task.MaxNumberOfMessagesPerSecond ? `, ${task.MaxNumberOfMessagesPerSecond} messages/s` : "";
  const failure = task.FailureReason ? `: ${task.FailureReason}` : "";
  return `status: ${task.Status}${failure} (${moved}${toMove !== undefined ? ` of ≈ ${toMove}` : ""} moved${rate})`;
}

/** A dead-lettered event: the message body as EventBridge put it, and the event it holds. */
export interface DeadLetter {
  readonly body: string;
  readonly event: Record<string, unknown> & { source: string; "detail-type": string };
}

/** The event in a message EventBridge dead-lettered, or why the message is not one of the platform's. */
export function parseDeadLetter(
  body: string | undefined,
  sourcePrefix: string,
): { ok: true; deadLetter: DeadLetter } | { ok: false; reason: string } {
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(body ?? "");
  } catch {
    return { ok: false, reason: "the body is not JSON (not an EventBridge event)" };
  }
  if (typeof event !== "object" || event === null)
    return { ok: false, reason: "the body is not an event object" };
  const source = event.source;
  const detailType = event["detail-type"];
  if (typeof source !== "string" || typeof detailType !== "string" || !("detail" in event)) {
    return { ok: false, reason: "the body lacks source, detail-type or detail" };
  }
  if (!source.startsWith(`${sourcePrefix}.`)) {
    return { ok: false, reason: `source ${source} is not a platform source (${sourcePrefix}.<provider>)` };
  }
  return { ok: true, deadLetter: { body: body!, event: { ...event, source, "detail-type": detailType } } };
}

/** The PutEvents entry that puts a dead-lettered event on the bus again. */
export function entryFromDeadLetter({ event }: DeadLetter, busName: string): PutEventsRequestEntry {
  const time = typeof event.time === "string" ? new Date(event.time) : undefined;
  const resources = Array.isArray(event.resources)
    ? event.resources.filter((r) => typeof r === "string")
    : [];
  return {
    EventBusName: busName,
    Source: event.source,
    DetailType: event["detail-type"],
    Detail: JSON.stringify(event.detail),
    ...(time && !Number.isNaN(time.getTime()) ? { Time: time } : {}),
    ...(resources.length > 0 ? { Resources: resources } : {}),
  };
}

interface Pending {
  readonly message: Message;
  readonly deadLetter: DeadLetter;
}

/** What one delivery call did: the messages delivered (to delete), and whether to stop. */
interface Delivered {
  readonly delivered: Message[];
  readonly failed: number;
  readonly stop: boolean;
}

/** Where a dead-letter queue's events go, as the plan names it, and how they get there. */
interface Destination {
  /** The plan's first line: what goes where. */
  readonly heading: string;
  /** Who receives the events again, and what the caller needs. */
  readonly notes: readonly string[];
  /** The summary line: `sent 3 event(s) to queue x`. */
  done(count: number): string;
  /** Looks up what delivering needs (read-only calls); returns the delivery function. */
  connect(): Promise<(batch: readonly Pending[]) => Promise<Delivered>>;
}

async function redeliver(
  target: EventDlq,
  stack: StackModel,
  aws: ResolvedAws,
  rate: number,
  max: number | undefined,
  yes: boolean | undefined,
  io: Io,
): Promise<ExitCode> {
  const sqs = io.aws.sqs(aws.config);
  const destination = destinationOf(target, stack, aws, sqs, io);
  io.stdout.write(
    [
      destination.heading,
      ...(target.rules.length > 0 ? [`  dead letters of rule ${target.rules.join(", ")}`] : []),
      `  region:   ${aws.regionNote}`,
      `  rate:     ≤ ${rate} events/s`,
      ...destination.notes.map((note) => `  ${note}`),
      "",
    ].join("\n"),
  );
  if (aws.warning) io.stderr.write(`${aws.warning}\n`);
  const dlq = await queueFacts(sqs, target.dlq);
  io.stdout.write(
    `  messages: ≈ ${dlq.visible} waiting, ${dlq.inFlight} in flight${max !== undefined ? ` (at most ${max} now)` : ""}\n`,
  );
  if (dlq.visible === 0) {
    io.stdout.write(`nothing to redeliver: ${target.dlq} has no waiting message\n`);
    return ExitCode.ok;
  }
  const deliver = await destination.connect();
  const refused = await confirmAction(yes, `Redeliver the events of ${target.dlq}?`, "redrive", io);
  if (refused !== undefined) return refused;

  const counts = { delivered: 0, failed: 0, skipped: 0, undeleted: 0 };
  const seen = new Set<string>();
  const started = io.now();
  for (;;) {
    const handled = counts.delivered + counts.failed + counts.skipped;
    const room = Math.min(10, rate, max === undefined ? 10 : max - handled);
    if (room <= 0) break;
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlq.url,
        MaxNumberOfMessages: room,
        WaitTimeSeconds: 1,
        VisibilityTimeout: REDELIVERY_VISIBILITY_SECONDS,
      }),
    );
    // Nothing left, or only messages this run already failed on came back: stop.
    const fresh = Messages.filter((message) => !seen.has(message.MessageId ?? ""));
    if (fresh.length === 0) break;
    const ready: Pending[] = [];
    for (const message of fresh) {
      seen.add(message.MessageId ?? "");
      const parsed = parseDeadLetter(message.Body, stack.eventSourcePrefix);
      if (parsed.ok) ready.push({ message, deadLetter: parsed.deadLetter });
      else {
        counts.skipped++;
        io.stderr.write(`skipped message ${message.MessageId}: ${parsed.reason}\n`);
      }
    }
    const batch = ready.length > 0 ? await deliver(ready) : { delivered: [], failed: 0, stop: false };
    counts.delivered += batch.delivered.length;
    counts.failed += batch.failed;
    counts.undeleted += await deleteBatch(sqs, dlq.url, batch.delivered, io);
    if (batch.stop) break;
    const due = started + ((counts.delivered + counts.failed + counts.skipped) / rate) * 1000 - io.now();
    if (due > 0) await io.sleep(due);
  }
  const left =
    counts.failed + counts.skipped > 0
      ? ` (left in ${target.dlq}, visible again in ${REDELIVERY_VISIBILITY_SECONDS} s)`
      : "";
  io.stdout.write(
    `${destination.done(counts.delivered)}; ${counts.failed} failed, ${counts.skipped} skipped${left}\n`,
  );
  if (counts.undeleted > 0) {
    io.stderr.write(
      `warning: ${counts.undeleted} message(s) were delivered but could not be deleted: a later redrive delivers them again\n`,
    );
  }
  return counts.failed + counts.skipped + counts.undeleted > 0 ? ExitCode.failed : ExitCode.ok;
}

function destinationOf(
  target: EventDlq,
  stack: StackModel,
  aws: ResolvedAws,
  sqs: SQSClient,
  io: Io,
): Destination {
  const { destination } = target;
  if (destination.kind === "queue") {
    return {
      heading: `Send the events in ${target.dlq} to queue ${destination.queue}, the consumer queue EventBridge failed to deliver them to`,
      notes: ["Only this route's consumers receive them again; they dedupe on detail.webhookId."],
      done: (count) => `sent ${count} event(s) to queue ${destination.queue}`,
      async connect() {
        const queueUrl = await urlOf(sqs, destination.queue);
        return (batch) => sendToQueue(sqs, queueUrl, batch, io);
      },
    };
  }
  if (destination.kind === "stream") {
    const firehose = io.aws.firehose(aws.config);
    return {
      heading: `Put the events in ${target.dlq} into Firehose stream ${destination.stream}, the archive target EventBridge failed to deliver them to`,
      notes: ["Each event is appended to the payload archive; nothing else receives it again."],
      done: (count) => `put ${count} event(s) into stream ${destination.stream}`,
      connect: async () => (batch) => putToStream(firehose, destination.stream, batch, io),
    };
  }
  const busName = fromStack(stack.busName, "event bus", stack);
  const bus = io.aws.eventBridge(aws.config);
  return {
    heading: `Re-put the events in ${target.dlq} onto bus ${busName} (events the bus failed to process, e.g. to encrypt or decrypt)`,
    notes: [
      "Every rule matching an event receives it again (routes, the archive stream); consumers dedupe on detail.webhookId.",
      `The bus admits only the router and the configuration's eventBusPublisherArns: your role must be listed there.`,
    ],
    done: (count) => `re-put ${count} event(s) onto bus ${busName}`,
    connect: async () => (batch) => putOnBus(bus, busName, batch, io),
  };
}

async function sendToQueue(
  sqs: SQSClient,
  queueUrl: string,
  batch: readonly Pending[],
  io: Io,
): Promise<Delivered> {
  try {
    const { Failed = [] } = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((item, index) => ({ Id: String(index), MessageBody: item.deadLetter.body })),
      }),
    );
    const failed = new Map(Failed.map((failure) => [failure.Id, failure]));
    for (const [id, failure] of failed) {
      io.stderr.write(
        `send failed for message ${batch[Number(id)]?.message.MessageId}: ${failure.Code} ${failure.Message ?? ""}\n`,
      );
    }
    return {
      delivered: batch.filter((_, index) => !failed.has(String(index))).map((item) => item.message),
      failed: failed.size,
      stop: false,
    };
  } catch (error) {
    io.stderr.write(`SendMessageBatch failed, stopping: ${describeAwsError(error)}\n`);
    return { delivered: [], failed: batch.length, stop: true };
  }
}

async function putToStream(
  firehose: FirehoseClient,
  stream: string,
  batch: readonly Pending[],
  io: Io,
): Promise<Delivered> {
  try {
    // The stream appends the record delimiter itself: each record is the event exactly.
    const { RequestResponses = [] } = await firehose.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: stream,
        Records: batch.map((item) => ({ Data: Buffer.from(item.deadLetter.body, "utf8") })),
      }),
    );
    const delivered: Message[] = [];
    batch.forEach((item, index) => {
      const result = RequestResponses[index];
      if (result?.RecordId && !result.ErrorCode) delivered.push(item.message);
      else {
        io.stderr.write(
          `put failed for message ${item.message.MessageId}: ${result?.ErrorCode ?? "no record id"} ${result?.ErrorMessage ?? ""}\n`,
        );
      }
    });
    return { delivered, failed: batch.length - delivered.length, stop: false };
  } catch (error) {
    io.stderr.write(`PutRecordBatch failed, stopping: ${describeAwsError(error)}\n`);
    return { delivered: [], failed: batch.length, stop: true };
  }
}

async function putOnBus(
  bus: EventBridgeClient,
  busName: string,
  batch: readonly Pending[],
  io: Io,
): Promise<Delivered> {
  try {
    const output = await bus.send(
      new PutEventsCommand({ Entries: batch.map((item) => entryFromDeadLetter(item.deadLetter, busName)) }),
    );
    const delivered: Message[] = [];
    let denied: string | undefined;
    batch.forEach((item, index) => {
      const result = output.Entries?.[index];
      if (result?.EventId && !result.ErrorCode) delivered.push(item.message);
      else {
        if (isAccessDenied(result?.ErrorCode)) denied ??= result?.ErrorMessage ?? "";
        io.stderr.write(
          `put failed for message ${item.message.MessageId}: ${result?.ErrorCode ?? "no event id"} ${result?.ErrorMessage ?? ""}\n`,
        );
      }
    });
    if (denied !== undefined) io.stderr.write(`${busDenied(busName, denied)}\n`);
    return { delivered, failed: batch.length - delivered.length, stop: denied !== undefined };
  } catch (error) {
    const { name, message } = error as { name?: string; message?: string };
    io.stderr.write(
      isAccessDenied(name)
        ? `PutEvents was denied, stopping: ${busDenied(busName, message ?? "")}\n`
        : `PutEvents failed, stopping: ${describeAwsError(error)}\n`,
    );
    return { delivered: [], failed: batch.length, stop: true };
  }
}

/**
 * Why the bus refused: its policy admits only the router and `eventBusPublisherArns`. Names the
 * caller when AWS's message does (`User: arn:aws:sts::…:assumed-role/ops/alice is not authorized`);
 * the bus policy matches `aws:PrincipalArn`, which for a role session is the role's ARN.
 */
export function busDenied(busName: string, awsMessage: string): string {
  const caller = /\b(arn:aws[a-z-]*:(?:sts|iam)::\d{12}:[^\s,]+)/.exec(awsMessage)?.[1];
  const session = caller && /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(caller);
  const principal = session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : caller;
  const who = caller
    ? ` you are ${caller}${principal !== caller ? ` (role ${principal}, with its path if it has one)` : ""}: add that role to eventBusPublisherArns and deploy`
    : " add your role's ARN to eventBusPublisherArns and deploy";
  return `bus ${busName} admits only the router and the principals listed in the configuration field eventBusPublisherArns;${who}`;
}

/** Deletes the messages delivered; returns how many could not be deleted. */
async function deleteBatch(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly Message[],
  io: Io,
): Promise<number> {
  if (messages.length === 0) return 0;
  const { Failed = [] } = await sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: messages.map((message, index) => ({
        Id: String(index),
        ReceiptHandle: message.ReceiptHandle,
      })),
    }),
  );
  for (const failure of Failed) {
    io.stderr.write(
      `could not delete message ${messages[Number(failure.Id)]?.MessageId}: ${failure.Code} ${failure.Message ?? ""}\n`,
    );
  }
  return Failed.length;
}
