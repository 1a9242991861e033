import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from "@aws-sdk/client-eventbridge";
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  type ListMessageMoveTasksResultEntry,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { integerOption, parseCommandLine } from "../args";
import { AWS_HELP, AWS_OPTIONS, confirmAction, describeAwsError, type ResolvedAws, resolveAws } from "../aws";
import { type Command, CommandError, ExitCode, type Io, UsageError } from "../command";
import { type EventDlq, fromStack, loadStack, type QueueRedrive, type StackModel } from "../stack";

/** SQS's bounds for MaxNumberOfMessagesPerSecond. */
const MAX_RATE = 500;
/** Re-put: events per second when --rate is not given. */
const DEFAULT_REPUT_RATE = 10;
/** Re-put: a received message stays hidden this long; one whose put failed reappears after it. */
const REPUT_VISIBILITY_SECONDS = 120;
const WATCH_INTERVAL_MS = 5_000;

export const redriveCommand: Command = {
  name: "redrive",
  summary: "move a dead-letter queue's messages back (SQS message move task, or re-put on the bus)",
  help: `Usage: webhooks redrive [--queue <name>] [--rate <msgs/s>] [--watch] [--yes]
       webhooks redrive --target-dlq <name> [--rate <events/s>] [--max <n>] [--yes]

--queue: the dead-letter queue of an SQS queue (the ingest queue, a route's consumer queue) goes
back to that queue with an SQS message move task (StartMessageMoveTask, destination = the
original source queue). The task runs in SQS; the command prints its handle and status.
  --queue <name>         the source queue: ingest (default), a route id (payments) or a name
                         from the stack (route-payments, whk-dev-ingest)
  --rate <n>             messages per second, 1..${MAX_RATE} (default: SQS's system-optimized rate)
  --watch                poll the task every 5 s until it completes

--target-dlq: an EventBridge dead-letter queue (a rule target's, or the bus's) has no SQS source
queue, so message move tasks do not apply: each event is put on the bus again (PutEvents), and its
message deleted only after the put succeeded. Every rule matching the event receives it again
(other routes, the archive stream): consumers dedupe on detail.webhookId.
  --target-dlq <name>    a route id (payments), archive (the archive stream's target), bus
  --rate <n>             events per second, 1..${MAX_RATE} (default ${DEFAULT_REPUT_RATE})
  --max <n>              stop after this many messages (default: until the queue is empty)

Both show the queue and its approximate message count first and ask before acting.
  --yes, -y              act without asking (required when standard input is not a terminal)

${AWS_HELP}

Examples:
  webhooks redrive                              # ingest DLQ → ingest queue
  webhooks redrive --queue payments --rate 5 --watch
  webhooks redrive --target-dlq payments --rate 20 --yes`,

  async run(args, io) {
    const { values } = parseCommandLine(args, {
      ...AWS_OPTIONS,
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
    const stack = loadStack(values["stack-dir"], io);

    if (values["target-dlq"] !== undefined) {
      if (values.watch) throw new UsageError("--watch applies to --queue (message move tasks) only");
      const target = findEventDlq(stack, values["target-dlq"]);
      const aws = resolveAws(values, stack, io.env);
      return rePut(target, stack, aws, rate ?? DEFAULT_REPUT_RATE, max, values.yes, io);
    }
    if (max !== undefined)
      throw new UsageError("--max applies to --target-dlq only (a move task moves every message)");
    const redrive = findRedrive(stack, values.queue ?? "ingest");
    const aws = resolveAws(values, stack, io.env);
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

async function queueFacts(sqs: SQSClient, name: string): Promise<QueueFacts> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  if (!QueueUrl) throw new CommandError(`GetQueueUrl returned no URL for ${name}`);
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
  if (aws.warning) io.stderr.write(`${aws.warning}\n`);
  const sqs = io.aws.sqs(aws.config);
  const dlq = await queueFacts(sqs, redrive.dlq);
  const latest = await latestTask(sqs, dlq.arn);
  io.stdout.write(
    [
      `Redrive ${redrive.dlq} → ${redrive.sourceQueue} (its source queue) with an SQS message move task`,
      `  region:   ${aws.regionNote}`,
      `  messages: ≈ ${dlq.visible} waiting, ${dlq.inFlight} in flight`,
      `  rate:     ${rate === undefined ? "SQS's system-optimized rate" : `${rate} messages/s`}`,
      "",
    ].join("\n"),
  );
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

/** The PutEvents entry for an event EventBridge dead-lettered (the message body is the event). */
export function entryFromDeadLetter(
  body: string | undefined,
  busName: string,
  sourcePrefix: string,
): { ok: true; entry: PutEventsRequestEntry } | { ok: false; reason: string } {
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
  const time = typeof event.time === "string" ? new Date(event.time) : undefined;
  const resources = Array.isArray(event.resources)
    ? event.resources.filter((r) => typeof r === "string")
    : [];
  return {
    ok: true,
    entry: {
      EventBusName: busName,
      Source: source,
      DetailType: detailType,
      Detail: JSON.stringify(event.detail),
      ...(time && !Number.isNaN(time.getTime()) ? { Time: time } : {}),
      ...(resources.length > 0 ? { Resources: resources } : {}),
    },
  };
}

async function rePut(
  target: EventDlq,
  stack: StackModel,
  aws: ResolvedAws,
  rate: number,
  max: number | undefined,
  yes: boolean | undefined,
  io: Io,
): Promise<ExitCode> {
  const busName = fromStack(stack.busName, "event bus", stack);
  if (aws.warning) io.stderr.write(`${aws.warning}\n`);
  const sqs = io.aws.sqs(aws.config);
  const dlq = await queueFacts(sqs, target.dlq);
  io.stdout.write(
    [
      `Re-put the events in ${target.dlq} onto bus ${busName} (an EventBridge dead-letter queue: message move tasks do not apply)`,
      ...(target.rules.length > 0 ? [`  dead letters of rule ${target.rules.join(", ")}`] : []),
      `  region:   ${aws.regionNote}`,
      `  messages: ≈ ${dlq.visible} waiting, ${dlq.inFlight} in flight${max !== undefined ? ` (at most ${max} now)` : ""}`,
      `  rate:     ≤ ${rate} events/s`,
      "  Every rule matching an event receives it again (other routes, the archive stream); consumers dedupe on detail.webhookId.",
      "",
    ].join("\n"),
  );
  if (dlq.visible === 0) {
    io.stdout.write(`nothing to re-put: ${target.dlq} has no waiting message\n`);
    return ExitCode.ok;
  }
  const refused = await confirmAction(
    yes,
    `Re-put the events of ${target.dlq} onto ${busName}?`,
    "redrive",
    io,
  );
  if (refused !== undefined) return refused;

  const bus = io.aws.eventBridge(aws.config);
  const counts = { put: 0, failed: 0, skipped: 0, undeleted: 0 };
  const seen = new Set<string>();
  const started = io.now();
  for (;;) {
    const handled = counts.put + counts.failed + counts.skipped;
    const room = Math.min(10, rate, max === undefined ? 10 : max - handled);
    if (room <= 0) break;
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlq.url,
        MaxNumberOfMessages: room,
        WaitTimeSeconds: 1,
        VisibilityTimeout: REPUT_VISIBILITY_SECONDS,
      }),
    );
    // Nothing left, or only messages this run already failed on came back: stop.
    const fresh = Messages.filter((message) => !seen.has(message.MessageId ?? ""));
    if (fresh.length === 0) break;
    for (const message of fresh) seen.add(message.MessageId ?? "");
    const batch = await putBatch(fresh, busName, stack.eventSourcePrefix, bus, io);
    counts.put += batch.put.length;
    counts.failed += batch.failed;
    counts.skipped += batch.skipped;
    counts.undeleted += await deleteBatch(sqs, dlq.url, batch.put, io);
    if (batch.callFailed) break;
    const due = started + ((counts.put + counts.failed + counts.skipped) / rate) * 1000 - io.now();
    if (due > 0) await io.sleep(due);
  }
  const left =
    counts.failed + counts.skipped > 0
      ? ` (left in ${target.dlq}, visible again in ${REPUT_VISIBILITY_SECONDS} s)`
      : "";
  io.stdout.write(
    `re-put ${counts.put} event(s) onto ${busName}; ${counts.failed} failed, ${counts.skipped} skipped${left}\n`,
  );
  if (counts.undeleted > 0) {
    io.stderr.write(
      `warning: ${counts.undeleted} message(s) were put on the bus but could not be deleted: a later redrive puts them again\n`,
    );
  }
  return counts.failed + counts.skipped + counts.undeleted > 0 ? ExitCode.failed : ExitCode.ok;
}

async function putBatch(
  messages: readonly Message[],
  busName: string,
  sourcePrefix: string,
  bus: EventBridgeClient,
  io: Io,
): Promise<{ put: Message[]; failed: number; skipped: number; callFailed: boolean }> {
  const ready: Array<{ message: Message; entry: PutEventsRequestEntry }> = [];
  let skipped = 0;
  for (const message of messages) {
    const parsed = entryFromDeadLetter(message.Body, busName, sourcePrefix);
    if (parsed.ok) ready.push({ message, entry: parsed.entry });
    else {
      skipped++;
      io.stderr.write(`skipped message ${message.MessageId}: ${parsed.reason}\n`);
    }
  }
  if (ready.length === 0) return { put: [], failed: 0, skipped, callFailed: false };
  try {
    const output = await bus.send(new PutEventsCommand({ Entries: ready.map((item) => item.entry) }));
    const put: Message[] = [];
    let failed = 0;
    ready.forEach((item, index) => {
      const result = output.Entries?.[index];
      if (result?.EventId && !result.ErrorCode) put.push(item.message);
      else {
        failed++;
        io.stderr.write(
          `put failed for message ${item.message.MessageId}: ${result?.ErrorCode ?? "no event id"} ${result?.ErrorMessage ?? ""}\n`,
        );
      }
    });
    return { put, failed, skipped, callFailed: false };
  } catch (error) {
    io.stderr.write(`PutEvents failed, stopping: ${describeAwsError(error)}\n`);
    return { put: [], failed: ready.length, skipped, callFailed: true };
  }
}

/** Deletes the messages whose events are on the bus; returns how many could not be deleted. */
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
