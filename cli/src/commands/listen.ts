import { DeleteMessageCommand, type Message, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { integerOption, parseCommandLine, readInput, required } from "../args";
import { AWS_HELP, AWS_OPTIONS, confirmAction, describeAwsError, isAccessDenied, resolveAws } from "../aws";
import { type Command, CommandError, ExitCode, type Io, UsageError } from "../command";
import { describeProblem, patternProblems } from "../event-pattern";
import { type EventSummary, type ForwardOutcome, forwardEvent, summarizeEvent } from "../listen/forward";
import { listenIam } from "../listen/iam";
import { describeSession, type FoundSession, findSessions, isStale } from "../listen/leftovers";
import { HEARTBEAT_INTERVAL_MS, listenPrefix, newSessionId, STALE_AFTER_MS } from "../listen/names";
import {
  createSession,
  heartbeat,
  isGone,
  type ListenClients,
  type ListenResources,
  type Removal,
  removeResources,
  VISIBILITY_TIMEOUT_SECONDS,
} from "../listen/resources";
import { fromStack, loadStack, type StackModel } from "../stack";

/** SQS long polling: a receive waits up to this long for an event. */
const POLL_WAIT_SECONDS = 20;
/** After a receive failed for a reason that may pass (throttling, network), try again after this. */
const RECEIVE_RETRY_MS = 5_000;
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

export const listenCommand: Command = {
  name: "listen",
  summary: "forward a route's events from the deployed bus to a local URL (temporary rule and queue)",
  help: `Usage: webhooks listen --route <id> --forward <url> [--max-events <n>] [--yes]
       webhooks listen (--pattern <json> | --pattern-file <file|->) --forward <url> [--yes]
       webhooks listen --clean [--yes]

Develop a consumer against a deployed stack: the events a route receives are copied to a URL on
this machine while the route's own consumers keep receiving them. The command creates a rule on the
platform's bus with the route's event pattern and a temporary queue as its target, long-polls the
queue, POSTs each event (the JSON a consumer reads from the route's queue) to --forward, and deletes
it only after a 2xx; otherwise it comes back after ${VISIBILITY_TIMEOUT_SECONDS} s. One line per event: time, source,
detail-type, webhook id, the answer and how long it took. Ctrl-C or SIGTERM removes the rule and the
queue. The route's consumer queue is never read.

  --route <id>           a route of the stack (payments): its rule's event pattern
  --pattern <json>       an ad-hoc event pattern instead, e.g. '{"source":["webhooks.stripe"]}'
  --pattern-file <file>  the pattern from a file, or - for standard input
  --forward <url>        where events are POSTed (http or https; normally localhost), with headers
                         content-type, x-event-id (the event's id), x-webhook-id (detail.webhookId)
  --max-events <n>       stop after n events were delivered (for scripts)
  --clean                remove the rule and queue of every listen session on the bus, live ones
                         included, and exit
  --yes, -y              act without asking (required when standard input is not a terminal)

A pattern using anything but the operators EventBridge documents is refused, naming the part.

Leftovers: the rule and the queue of a session are named <base>-listen-<session> (e.g.
whk-dev-listen-1a2b3c4d) and tagged webhooks:listen=<session>; a running session renews its
webhooks:listen-heartbeat tag every minute. On start, sessions on the bus whose heartbeat is over
${STALE_AFTER_MS / 60_000} minutes old (a killed run) are listed and removed with the new session's go-ahead; nothing
without the tags is touched.

IAM the caller needs (<base> is the stack's name base, e.g. whk-dev):
${indent(listenIam(), "  ")}
No KMS permission: the queue uses SQS-managed encryption (the platform's key lets EventBridge
encrypt only for the stack's own queues). No events:PutEvents: the bus policy restricts only that.

${AWS_HELP}

Examples:
  webhooks listen --route payments --forward http://localhost:3000/hook
  webhooks listen --pattern '{"source":["webhooks.github"],"detail-type":["push"]}' --forward http://127.0.0.1:8080/
  webhooks listen --clean --yes`,

  async run(args, io) {
    const { values } = parseCommandLine(args, {
      ...AWS_OPTIONS,
      yes: { type: "boolean", short: "y" },
      route: { type: "string" },
      pattern: { type: "string" },
      "pattern-file": { type: "string" },
      forward: { type: "string" },
      "max-events": { type: "string" },
      clean: { type: "boolean" },
    });
    const stack = loadStack(values, io);
    const busName = fromStack(stack.busName, "event bus", stack);
    const prefix = listenPrefix(busName);
    let plan: Plan | undefined;
    if (values.clean) {
      const extra = (["route", "pattern", "pattern-file", "forward", "max-events"] as const).find(
        (option) => values[option] !== undefined,
      );
      if (extra) throw new UsageError(`--clean removes sessions and exits: it takes no --${extra}`);
    } else {
      plan = {
        ...(await patternToListen(values, stack, io)),
        forward: forwardUrl(required(values.forward, "forward"), io),
        maxEvents: integerOption(values["max-events"], "max-events", 1, 1_000_000),
      };
    }

    const aws = resolveAws(values, stack, io.env, `bus ${busName}`);
    if (aws.warning) io.stderr.write(`${aws.warning}\n`);
    const context: Context = {
      io,
      clients: { events: io.aws.eventBridge(aws.config), sqs: io.aws.sqs(aws.config) },
      busName,
      prefix,
      region: aws.config.region,
      regionNote: aws.regionNote,
      yes: values.yes,
      stop: new AbortController(),
    };
    const release = io.onInterrupt((signal) => {
      io.stderr.write(`${signal}: stopping\n`);
      context.stop.abort();
    });
    try {
      return plan ? await listen(plan, context) : await clean(context);
    } catch (error) {
      if (!isAccessDenied((error as { name?: string }).name)) throw error;
      io.stderr.write(`webhooks listen: ${describeAwsError(error)}\n${iamHint(context)}\n`);
      return ExitCode.failed;
    } finally {
      release();
    }
  },
};

/** What to listen for, where to send it, when to stop. */
interface Plan {
  /** Route id or `--pattern`: tags and the rule's description. */
  readonly listensFor: string;
  /** The plan's first line. */
  readonly heading: string;
  /** Notes under it (the route's own queue is not read). */
  readonly notes: readonly string[];
  readonly pattern: Record<string, unknown>;
  readonly forward: URL;
  readonly maxEvents: number | undefined;
}

interface Context {
  readonly io: Io;
  readonly clients: ListenClients;
  readonly busName: string;
  readonly prefix: string;
  readonly region: string | undefined;
  readonly regionNote: string;
  readonly yes: boolean | undefined;
  /** Aborted by SIGINT/SIGTERM: stops polling and any AWS call in flight. */
  readonly stop: AbortController;
}

/** The pattern of `--route`, `--pattern` or `--pattern-file`, refused when the matcher cannot explain it. */
async function patternToListen(
  values: { route?: string | undefined; pattern?: string | undefined; "pattern-file"?: string | undefined },
  stack: StackModel,
  io: Io,
): Promise<Pick<Plan, "listensFor" | "heading" | "notes" | "pattern">> {
  const given = (["route", "pattern", "pattern-file"] as const).filter(
    (option) => values[option] !== undefined,
  );
  if (given.length !== 1) {
    throw new UsageError(
      given.length === 0
        ? "--route is required (or --pattern / --pattern-file)"
        : `--${given.join(" and --")} are exclusive: listen for one pattern`,
    );
  }
  let chosen: Pick<Plan, "listensFor" | "heading" | "notes" | "pattern">;
  let option: string;
  if (values.route !== undefined) {
    option = "--route";
    const rule = routeRule(stack, values.route);
    if (!rule.eventPattern) throw new CommandError(`rule ${rule.name} has no event pattern in ${stack.dir}`);
    chosen = {
      listensFor: `route ${values.route}`,
      heading: `Listen for route ${values.route} (the pattern of rule ${rule.name})`,
      notes: [`The route's consumer queue is not read: its consumers still receive every event.`],
      pattern: rule.eventPattern,
    };
  } else {
    option = values.pattern !== undefined ? "--pattern" : "--pattern-file";
    const text =
      values.pattern ?? (await readInput(values["pattern-file"]!, "pattern-file", io)).toString("utf8");
    let pattern: unknown;
    try {
      pattern = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`${option} is not JSON: ${(error as Error).message}`);
    }
    chosen = {
      listensFor: "--pattern",
      heading: "Listen for an ad-hoc pattern",
      notes: [],
      pattern: pattern as Record<string, unknown>,
    };
  }
  const problems = patternProblems(chosen.pattern);
  if (problems.length > 0) {
    throw new UsageError(
      `${option}: the pattern has parts this CLI cannot explain, so it will not listen for it: ${problems.map(describeProblem).join("; ")}`,
    );
  }
  return chosen;
}

/** A route's rule by route id (`payments`) or rule name. */
function routeRule(stack: StackModel, id: string) {
  const routes = stack.rules.filter((rule) => /-route-/.test(rule.name));
  const found = routes.find((rule) => rule.name === id || rule.name.endsWith(`-route-${id}`));
  if (found) return found;
  const known = routes.map((rule) => rule.name.replace(/^.*-route-/, "")).join(", ") || "none";
  throw new UsageError(`--route: ${id} is not a route of the stack (${known})`);
}

/** `--forward`: an http(s) URL; anything but this machine gets a warning (events carry payloads). */
function forwardUrl(value: string, io: Io): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(
      `--forward must be an http(s) URL such as http://localhost:3000/hook, got '${value}'`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`--forward must be an http or https URL, got ${url.protocol.slice(0, -1)}`);
  }
  if (!LOOPBACK.has(url.hostname)) {
    io.stderr.write(
      `warning: --forward goes to ${url.host}, not this machine: every matching event, payload included, is sent there\n`,
    );
  }
  return url;
}

async function listen(plan: Plan, context: Context): Promise<ExitCode> {
  const { io, busName, stop } = context;
  const id = newSessionId();
  const name = `${context.prefix}${id}`;
  io.stdout.write(
    [
      plan.heading,
      `  pattern:  ${JSON.stringify(plan.pattern)}`,
      `  forward:  POST ${plan.forward.href}; an event is deleted only after a 2xx`,
      `  creates:  rule ${name} on bus ${busName}, queue ${name} (SSE-SQS) as its target;`,
      "            both removed when this stops",
      `  region:   ${context.regionNote}`,
      ...plan.notes.map((note) => `  ${note}`),
      "",
    ].join("\n"),
  );
  const leftovers = await surveySessions(context, false);
  if (stop.signal.aborted) return ExitCode.ok;
  const removeFirst =
    leftovers.length > 0 ? `Remove ${leftovers.length} leftover session(s), then create` : "Create";
  const refused = await confirmAction(
    context.yes,
    `${removeFirst} rule and queue ${name} and forward matching events to ${plan.forward.href}?`,
    "listen",
    io,
  );
  if (refused !== undefined) return refused;
  const leftoversRemoved = await removeSessions(leftovers, context);
  if (stop.signal.aborted) return leftoversRemoved ? ExitCode.ok : ExitCode.failed;

  const resources: ListenResources = { name };
  let code: ExitCode = leftoversRemoved ? ExitCode.ok : ExitCode.failed;
  try {
    await createSession(
      context.clients,
      { id, name, busName, pattern: plan.pattern, listensFor: plan.listensFor, now: io.now() },
      resources,
      stop.signal,
    );
    if (!stop.signal.aborted) {
      io.stdout.write(`listening: events matching the pattern go to ${plan.forward.href} (Ctrl-C stops)\n`);
      const polled = await poll(plan, resources, context);
      if (polled !== ExitCode.ok) code = polled;
    }
  } catch (error) {
    if (!stop.signal.aborted) {
      const why = error instanceof CommandError ? error.message : describeAwsError(error);
      io.stderr.write(`webhooks listen: ${why}\n`);
      if (isAccessDenied((error as { name?: string }).name)) {
        io.stderr.write(`${iamHint(context, resources.ruleArn?.split(":")[4])}\n`);
      }
      code = ExitCode.failed;
    }
  }
  const removal = await removeResources(context.clients, busName, resources);
  if (!reportRemoval(`session ${id}`, removal, context)) code = ExitCode.failed;
  return code;
}

/**
 * Polls until interrupted or `--max-events` deliveries: one event at a time, so each is forwarded
 * well within its visibility timeout. Renews the heartbeat every minute.
 */
async function poll(plan: Plan, resources: ListenResources, context: Context): Promise<ExitCode> {
  const { io, clients, stop } = context;
  const counts = { delivered: 0, failed: 0 };
  let lastBeat = io.now();
  let code: ExitCode = ExitCode.ok;
  while (!stop.signal.aborted && (plan.maxEvents === undefined || counts.delivered < plan.maxEvents)) {
    if (io.now() - lastBeat >= HEARTBEAT_INTERVAL_MS) {
      lastBeat = io.now();
      await heartbeat(clients, resources, lastBeat, stop.signal).catch((error: unknown) => {
        if (!stop.signal.aborted)
          io.stderr.write(`warning: heartbeat not renewed: ${describeAwsError(error)}\n`);
      });
    }
    let messages: Message[];
    try {
      const received = await clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: resources.queueUrl,
          MaxNumberOfMessages: 1,
          WaitTimeSeconds: POLL_WAIT_SECONDS,
          MessageSystemAttributeNames: ["ApproximateReceiveCount"],
        }),
        { abortSignal: stop.signal },
      );
      messages = received.Messages ?? [];
    } catch (error) {
      if (stop.signal.aborted) break;
      if (isGone(error)) {
        throw new CommandError(
          `queue ${resources.name} no longer exists: another \`webhooks listen\` removes sessions whose heartbeat stopped for ${STALE_AFTER_MS / 60_000} minutes (was this machine asleep?); start again`,
        );
      }
      if (isAccessDenied((error as { name?: string }).name)) throw error;
      io.stderr.write(
        `ReceiveMessage failed: ${describeAwsError(error)}; trying again in ${RECEIVE_RETRY_MS / 1000} s\n`,
      );
      await io.sleep(RECEIVE_RETRY_MS);
      continue;
    }
    for (const message of messages) {
      const outcome = await forwardMessage(message, plan, resources, context);
      if (outcome === "failed") counts.failed++;
      else counts.delivered++;
      if (outcome === "delivered, not deleted") code = ExitCode.failed;
    }
  }
  const lost =
    counts.failed > 0 ? "; events not delivered are deleted with the queue (not from the route)" : "";
  io.stdout.write(
    `stopped: ${counts.delivered} event(s) delivered, ${counts.failed} attempt(s) failed${lost}\n`,
  );
  return code;
}

/** Forwards one event and prints its line; deletes it from the queue only after a 2xx. */
async function forwardMessage(
  message: Message,
  plan: Plan,
  resources: ListenResources,
  context: Context,
): Promise<"delivered" | "delivered, not deleted" | "failed"> {
  const { io, clients, stop } = context;
  const body = message.Body ?? "";
  const event = summarizeEvent(body);
  const outcome = await forwardEvent(io.fetch, plan.forward, body, event, () => io.now(), stop.signal);
  const attempt = Number(message.Attributes?.ApproximateReceiveCount ?? 1);
  io.stdout.write(`${eventLine(event, outcome, attempt)}\n`);
  if (!outcome.delivered) return "failed";
  try {
    await clients.sqs.send(
      new DeleteMessageCommand({ QueueUrl: resources.queueUrl, ReceiptHandle: message.ReceiptHandle }),
    );
    return "delivered";
  } catch (error) {
    io.stderr.write(`warning: delivered but not deleted (${describeAwsError(error)}): it comes again\n`);
    return "delivered, not deleted";
  }
}

/** `2025-01-31T11:59:58Z  webhooks.stripe  payment_intent.succeeded  wh_1  → 200 in 12 ms` */
function eventLine(event: EventSummary, outcome: ForwardOutcome, attempt: number): string {
  const answer = "status" in outcome ? String(outcome.status) : outcome.error;
  const again = outcome.delivered ? "" : `; left in the queue, back in ${VISIBILITY_TIMEOUT_SECONDS} s`;
  const retry = attempt > 1 ? ` (attempt ${attempt})` : "";
  return `${[event.time, event.source, event.detailType, event.webhookId].map((field) => field ?? "-").join("  ")}  → ${answer} in ${outcome.ms} ms${retry}${again}`;
}

/** `--clean`: every session on the bus, live ones included. */
async function clean(context: Context): Promise<ExitCode> {
  const { io, busName } = context;
  io.stdout.write(`Remove every listen session on bus ${busName}\n  region:   ${context.regionNote}\n`);
  const sessions = await surveySessions(context, true);
  if (sessions.length === 0) {
    io.stdout.write(`no listen session on bus ${busName}\n`);
    return ExitCode.ok;
  }
  const refused = await confirmAction(
    context.yes,
    `Remove the rules and queues of ${sessions.length} listen session(s), live ones included?`,
    "listen",
    io,
  );
  if (refused !== undefined) return refused;
  return (await removeSessions(sessions, context)) ? ExitCode.ok : ExitCode.failed;
}

/**
 * Lists the listen sessions on the bus and returns those to remove: the stale ones, or all with
 * `everything` (`--clean`). Live sessions of other runs are named and left alone.
 */
async function surveySessions(context: Context, everything: boolean): Promise<FoundSession[]> {
  const { io } = context;
  const sessions = await findSessions(context.clients, context.busName, context.prefix);
  const now = io.now();
  const toRemove = sessions.filter((session) => everything || isStale(session, now));
  const live = sessions.filter((session) => !toRemove.includes(session));
  const list = (heading: string, listed: FoundSession[]) => {
    if (listed.length === 0) return;
    io.stdout.write(
      `${heading}\n${listed.map((session) => `  ${describeSession(session, now)}\n`).join("")}`,
    );
  };
  list(
    everything
      ? "Listen sessions on the bus:"
      : `Leftovers of listen sessions that stopped without cleaning up (no heartbeat for ${STALE_AFTER_MS / 60_000} min):`,
    toRemove,
  );
  list("Other listen sessions, alive (left alone; --clean removes them):", live);
  return toRemove;
}

/** Removes found sessions; false when anything stayed behind. */
async function removeSessions(sessions: readonly FoundSession[], context: Context): Promise<boolean> {
  let complete = true;
  for (const session of sessions) {
    const removal = await removeResources(context.clients, context.busName, session.resources);
    complete = reportRemoval(`session ${session.id}`, removal, context) && complete;
  }
  return complete;
}

/** Prints what was removed and what was not; true when nothing stayed behind. */
function reportRemoval(what: string, removal: Removal, context: Context): boolean {
  const { io } = context;
  if (removal.removed.length > 0) io.stdout.write(`removed ${what}: ${removal.removed.join(", ")}\n`);
  for (const failure of removal.failed) io.stderr.write(`could not remove ${failure}\n`);
  if (removal.failed.length === 0) return true;
  io.stderr.write(
    `${what} left resources behind: the next \`webhooks listen\` removes them once they are ${STALE_AFTER_MS / 60_000} minutes old, \`webhooks listen --clean\` at once\n`,
  );
  return false;
}

/** The IAM text with this stack's names, and the account once a rule ARN has shown it. */
function iamHint(context: Context, account?: string): string {
  const scope = { region: context.region, account, busName: context.busName, prefix: context.prefix };
  return `webhooks listen needs:\n${indent(listenIam(scope), "  ")}`;
}

function indent(text: string, by: string): string {
  return text
    .split("\n")
    .map((line) => `${by}${line}`)
    .join("\n");
}
