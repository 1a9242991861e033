import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  DeleteRuleCommand,
  EventBridgeClient,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TagResourceCommand,
} from "@aws-sdk/client-eventbridge";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  ReceiveMessageCommand,
  SQSClient,
  TagQueueCommand,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { listenIam } from "../../cli/src/listen/iam";
import { FakeInterrupts, NOW_MS, runCli } from "./support/cli-io";
import { checkoutWith, platformStackDocument } from "./support/stacks";

// GIVEN a checkout with the dev stack synthesized: bus whk-dev-bus, route payments (webhooks.stripe).
const checkout = checkoutWith({ "webhooks-dev": platformStackDocument({ environment: "dev" }) });
/** The checkout, and real fetch: events go to a local HTTP server. */
const inCheckout = {
  cwd: checkout,
  fetch: (input: string | URL | Request, init?: RequestInit) => fetch(input, init),
};

const ACCOUNT = "123456789012";
const ruleArn = (name: string) => `arn:aws:events:us-east-1:${ACCOUNT}:rule/whk-dev-bus/${name}`;
const queueArn = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;
const queueUrl = (name: string) => `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/${name}`;
const SESSION_NAME = /^whk-dev-listen-[0-9a-f]{8}$/;
const MINUTE = 60_000;

const sqs = mockClient(SQSClient);
const events = mockClient(EventBridgeClient);

/** A local consumer: answers each POST with the next status (the last one repeats) and records it. */
interface LocalConsumer {
  readonly url: string;
  readonly requests: Array<{ method?: string; path?: string; headers: IncomingHttpHeaders; body: string }>;
  statuses: number[];
}
let server: Server;
let consumer: LocalConsumer;

beforeAll(async () => {
  consumer = { url: "", requests: [], statuses: [200] };
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      consumer.requests.push({ method: request.method, path: request.url, headers: request.headers, body });
      response.statusCode = consumer.statuses.length > 1 ? consumer.statuses.shift()! : consumer.statuses[0]!;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  (consumer as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

beforeEach(() => {
  sqs.reset();
  events.reset();
  consumer.requests.length = 0;
  consumer.statuses = [200];
  events.on(ListRulesCommand).resolves({ Rules: [] });
  sqs.on(ListQueuesCommand).resolves({});
  events.on(PutRuleCommand).callsFake((input: { Name: string }) => ({ RuleArn: ruleArn(input.Name) }));
  sqs
    .on(CreateQueueCommand)
    .callsFake((input: { QueueName: string }) => ({ QueueUrl: queueUrl(input.QueueName) }));
  events.on(PutTargetsCommand).resolves({ FailedEntryCount: 0, FailedEntries: [] });
  events.on(RemoveTargetsCommand).resolves({ FailedEntryCount: 0, FailedEntries: [] });
  events.on(DeleteRuleCommand).resolves({});
  sqs.on(DeleteQueueCommand).resolves({});
  sqs.on(DeleteMessageCommand).resolves({});
});

/** The event EventBridge puts in the queue for webhook `n`. */
const event = (n: number) => ({
  version: "0",
  id: `event-${n}`,
  "detail-type": "payment_intent.succeeded",
  source: "webhooks.stripe",
  account: ACCOUNT,
  time: "2025-01-31T11:59:58Z",
  region: "us-east-1",
  resources: [],
  detail: { webhookId: `wh_${n}`, provider: "stripe", data: { n } },
});
const message = (n: number, receiveCount = 1) => ({
  MessageId: `m-${n}`,
  ReceiptHandle: `r-${n}`,
  Body: JSON.stringify(event(n)),
  Attributes: { ApproximateReceiveCount: String(receiveCount) },
});

/** Receives: the given batches one per poll, then Ctrl-C. */
function queueHolds(interrupts: FakeInterrupts, ...batches: Array<ReturnType<typeof message>[]>) {
  let polls = 0;
  sqs.on(ReceiveMessageCommand).callsFake(() => {
    const batch = batches[polls++];
    if (batch) return { Messages: batch };
    interrupts.send();
    return {};
  });
}

const sessionName = () => events.commandCalls(PutRuleCommand)[0]!.args[0].input.Name!;
const listenRoute = (...more: string[]) => [
  "listen",
  "--route",
  "payments",
  "--forward",
  consumer.url,
  ...more,
];

describe("webhooks listen: the session's rule and queue", () => {
  test("a rule on the bus with the route's pattern, tagged with the session, its start and heartbeat", async () => {
    const interrupts = new FakeInterrupts();
    queueHolds(interrupts);

    const { code } = await runCli(listenRoute("--yes"), { ...inCheckout, interrupts });

    expect(code).toBe(0);
    const input = events.commandCalls(PutRuleCommand)[0]!.args[0].input;
    const session = input.Name!.slice("whk-dev-listen-".length);
    expect(input.Name).toMatch(SESSION_NAME);
    expect(input).toMatchObject({
      EventBusName: "whk-dev-bus",
      EventPattern: JSON.stringify({ source: ["webhooks.stripe"] }),
      State: "ENABLED",
    });
    expect(input.Tags).toEqual([
      { Key: "webhooks:listen", Value: session },
      { Key: "webhooks:listen-bus", Value: "whk-dev-bus" },
      { Key: "webhooks:listen-for", Value: "route payments" },
      { Key: "webhooks:listen-started", Value: new Date(NOW_MS).toISOString() },
      { Key: "webhooks:listen-heartbeat", Value: new Date(NOW_MS).toISOString() },
    ]);
  });

  test("a queue with SQS-managed encryption that only the session's rule may send to, over TLS", async () => {
    const interrupts = new FakeInterrupts();
    queueHolds(interrupts);

    await runCli(listenRoute("--yes"), { ...inCheckout, interrupts });

    const name = sessionName();
    const input = sqs.commandCalls(CreateQueueCommand)[0]!.args[0].input;
    expect(input.QueueName).toBe(name);
    expect(input.Attributes).toMatchObject({ SqsManagedSseEnabled: "true", VisibilityTimeout: "30" });
    expect(JSON.parse(input.Attributes!.Policy!).Statement).toEqual([
      {
        Sid: "ListenRuleSends",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: queueArn(name),
        Condition: { ArnEquals: { "aws:SourceArn": ruleArn(name) } },
      },
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sqs:*",
        Resource: queueArn(name),
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
    expect(input.tags).toMatchObject({
      "webhooks:listen-bus": "whk-dev-bus",
      "webhooks:listen-for": "route payments",
    });
  });

  test("the queue is the rule's only target", async () => {
    const interrupts = new FakeInterrupts();
    queueHolds(interrupts);

    await runCli(listenRoute("--yes"), { ...inCheckout, interrupts });

    expect(events.commandCalls(PutTargetsCommand)[0]!.args[0].input).toEqual({
      Rule: sessionName(),
      EventBusName: "whk-dev-bus",
      Targets: [{ Id: "listen-queue", Arn: queueArn(sessionName()) }],
    });
  });

  test("--pattern-file - listens for the pattern on standard input", async () => {
    const interrupts = new FakeInterrupts();
    queueHolds(interrupts);
    const pattern = { source: ["webhooks.github"], "detail-type": [{ "anything-but": "ping" }] };

    const { code, stdout } = await runCli(
      ["listen", "--pattern-file", "-", "--forward", consumer.url, "--yes"],
      { ...inCheckout, interrupts, stdin: JSON.stringify(pattern) },
    );

    expect(code).toBe(0);
    const input = events.commandCalls(PutRuleCommand)[0]!.args[0].input;
    expect(JSON.parse(input.EventPattern!)).toEqual(pattern);
    expect(input.Tags).toContainEqual({ Key: "webhooks:listen-for", Value: "--pattern" });
    expect(stdout).toMatch(/^Listen for an ad-hoc pattern\n/);
  });

  test("the plan before acting: pattern, forward URL, what it creates, and that the route's queue is not read", async () => {
    const interrupts = new FakeInterrupts();
    queueHolds(interrupts);

    const { stdout } = await runCli(listenRoute("--yes"), { ...inCheckout, interrupts });

    const name = sessionName();
    const plan = [
      "Listen for route payments (the pattern of rule whk-dev-route-payments)",
      `  pattern:  {"source":["webhooks.stripe"]}`,
      `  forward:  POST ${consumer.url}; an event is deleted only after a 2xx`,
      `  creates:  rule ${name} on bus whk-dev-bus, queue ${name} (SSE-SQS) as its target;`,
      "            both removed when this stops",
      "  region:   us-east-1 (from the stack)",
      "  The route's consumer queue is not read: its consumers still receive every event.",
      `listening: events matching the pattern go to ${consumer.url} (Ctrl-C stops)`,
      "",
    ].join("\n");
    expect(stdout.slice(0, plan.length)).toBe(plan);
  });
});

describe("webhooks listen: forwarding", () => {
  test("POSTs each event as the route's consumers read it, with its id and webhook id, and deletes it after a 2xx", async () => {
    const interrupts = new FakeInterrupts();
    queueHolds(interrupts, [message(1)]);

    const { code, stdout } = await runCli(listenRoute("--yes"), { ...inCheckout, interrupts });

    expect(code).toBe(0);
    expect(consumer.requests).toEqual([
      {
        method: "POST",
        path: "/hook",
        headers: expect.objectContaining({
          "content-type": "application/json",
          "x-event-id": "event-1",
          "x-webhook-id": "wh_1",
        }),
        body: JSON.stringify(event(1)),
      },
    ]);
    expect(sqs.commandCalls(DeleteMessageCommand).map((call) => call.args[0].input)).toEqual([
      { QueueUrl: queueUrl(sessionName()), ReceiptHandle: "r-1" },
    ]);
    expect(stdout).toContain(
      "\n2025-01-31T11:59:58Z  webhooks.stripe  payment_intent.succeeded  wh_1  → 200 in 0 ms\n",
    );
  });

  test("a 500 leaves the event in the queue: not deleted, back after the visibility timeout", async () => {
    const interrupts = new FakeInterrupts();
    consumer.statuses = [500];
    queueHolds(interrupts, [message(1)], [message(1, 2)]);

    const { code, stdout } = await runCli(listenRoute("--yes"), { ...inCheckout, interrupts });

    expect(code).toBe(0);
    expect(consumer.requests).toHaveLength(2);
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
    expect(stdout).toContain("wh_1  → 500 in 0 ms; left in the queue, back in 30 s\n");
    expect(stdout).toContain("wh_1  → 500 in 0 ms (attempt 2); left in the queue, back in 30 s\n");
    expect(stdout).toContain(
      "stopped: 0 event(s) delivered, 2 attempt(s) failed; events not delivered are deleted with the queue (not from the route)\n",
    );
  });

  test("a connection refused is not delivered either", async () => {
    const interrupts = new FakeInterrupts();
    queueHolds(interrupts, [message(1)]);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const { stdout } = await runCli(
      ["listen", "--route", "payments", "--forward", `http://127.0.0.1:${port}/`, "--yes"],
      {
        ...inCheckout,
        interrupts,
      },
    );

    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
    expect(stdout).toContain("wh_1  → ECONNREFUSED in 0 ms; left in the queue, back in 30 s\n");
  });

  test("--max-events stops after that many deliveries, then removes the session", async () => {
    consumer.statuses = [503, 200];
    // A third poll would be a bug: it interrupts, so the test ends either way.
    const interrupts = new FakeInterrupts();
    queueHolds(interrupts, [message(1)], [message(1, 2)]);

    const { code, stdout } = await runCli(listenRoute("--max-events", "1", "--yes"), {
      ...inCheckout,
      interrupts,
    });

    expect(code).toBe(0);
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(2);
    expect(stdout).toContain("stopped: 1 event(s) delivered, 1 attempt(s) failed");
    expect(events.commandCalls(DeleteRuleCommand)).toHaveLength(1);
  });

  test("a 2xx whose DeleteMessage fails: a warning that the event comes again, exit 1", async () => {
    const interrupts = new FakeInterrupts();
    queueHolds(interrupts, [message(1)]);
    sqs
      .on(DeleteMessageCommand)
      .rejects(Object.assign(new Error("expired"), { name: "ReceiptHandleIsInvalid" }));

    const { code, stderr } = await runCli(listenRoute("--yes"), { ...inCheckout, interrupts });

    expect(code).toBe(1);
    expect(stderr).toContain(
      "warning: delivered but not deleted (ReceiptHandleIsInvalid: expired): it comes again\n",
    );
  });

  test("a failed receive is tried again after 5 s", async () => {
    const interrupts = new FakeInterrupts();
    sqs
      .on(ReceiveMessageCommand)
      .rejectsOnce(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }))
      .resolvesOnce({ Messages: [message(1)] })
      .callsFake(() => {
        interrupts.send();
        return {};
      });

    const { code, stderr, slept } = await runCli(listenRoute("--yes"), { ...inCheckout, interrupts });

    expect(code).toBe(0);
    expect(slept).toEqual([5000]);
    expect(stderr).toContain(
      "ReceiveMessage failed: ThrottlingException: Rate exceeded; trying again in 5 s\n",
    );
    expect(consumer.requests).toHaveLength(1);
  });

  test("reads only its own queue: no SQS call names the route's consumer queue", async () => {
    const interrupts = new FakeInterrupts();
    queueHolds(interrupts, [message(1)]);

    await runCli(listenRoute("--yes"), { ...inCheckout, interrupts });

    const inputs = sqs.calls().map((call) => JSON.stringify(call.args[0].input));
    expect(inputs.filter((input) => input.includes("route-payments"))).toEqual([]);
    const polled = sqs.commandCalls(ReceiveMessageCommand).map((call) => call.args[0].input.QueueUrl);
    expect(new Set(polled)).toEqual(new Set([queueUrl(sessionName())]));
  });

  test("renews the heartbeat tag on the rule and the queue every minute", async () => {
    const interrupts = new FakeInterrupts();
    const clock = { ms: NOW_MS };
    let polls = 0;
    sqs.on(ReceiveMessageCommand).callsFake(() => {
      if (++polls === 3) interrupts.send();
      clock.ms += 40_000;
      return {};
    });
    events.on(TagResourceCommand).resolves({});
    sqs.on(TagQueueCommand).resolves({});

    await runCli(listenRoute("--yes"), { ...inCheckout, interrupts, clock });

    const beat = new Date(NOW_MS + 80_000).toISOString();
    expect(events.commandCalls(TagResourceCommand).map((call) => call.args[0].input)).toEqual([
      { ResourceARN: ruleArn(sessionName()), Tags: [{ Key: "webhooks:listen-heartbeat", Value: beat }] },
    ]);
    expect(sqs.commandCalls(TagQueueCommand).map((call) => call.args[0].input)).toEqual([
      { QueueUrl: queueUrl(sessionName()), Tags: { "webhooks:listen-heartbeat": beat } },
    ]);
  });
});

describe("webhooks listen: cleaning up", () => {
  test("SIGINT while polling: removes the target, then the rule, then the queue, and exits 0", async () => {
    const interrupts = new FakeInterrupts();
    queueHolds(interrupts);

    const { code, stdout, stderr } = await runCli(listenRoute("--yes"), { ...inCheckout, interrupts });

    const name = sessionName();
    expect(code).toBe(0);
    expect(stderr).toBe("SIGINT: stopping\n");
    expect(events.commandCalls(RemoveTargetsCommand)[0]!.args[0].input).toEqual({
      Rule: name,
      EventBusName: "whk-dev-bus",
      Ids: ["listen-queue"],
    });
    expect(events.commandCalls(DeleteRuleCommand)[0]!.args[0].input).toEqual({
      Name: name,
      EventBusName: "whk-dev-bus",
    });
    expect(sqs.commandCalls(DeleteQueueCommand)[0]!.args[0].input).toEqual({ QueueUrl: queueUrl(name) });
    const order = events.calls().map((call) => call.args[0].constructor.name);
    expect(order.slice(-2)).toEqual(["RemoveTargetsCommand", "DeleteRuleCommand"]);
    expect(stdout).toContain(`removed session ${name.slice(-8)}: rule ${name}, queue ${name}\n`);
    expect(interrupts.registered).toBe(0);
  });

  test("SIGTERM stops it the same way", async () => {
    const interrupts = new FakeInterrupts();
    sqs.on(ReceiveMessageCommand).callsFake(() => {
      interrupts.send("SIGTERM");
      return {};
    });

    const { code, stderr } = await runCli(listenRoute("--yes"), { ...inCheckout, interrupts });

    expect(code).toBe(0);
    expect(stderr).toBe("SIGTERM: stopping\n");
    expect(sqs.commandCalls(DeleteQueueCommand)).toHaveLength(1);
  });

  test("a failure while creating removes what exists: the rule, no queue; exit 1", async () => {
    sqs
      .on(CreateQueueCommand)
      .rejects(Object.assign(new Error("Too many queues"), { name: "QueueDeletedRecently" }));

    const { code, stderr } = await runCli(listenRoute("--yes"), inCheckout);

    expect(code).toBe(1);
    expect(stderr).toContain("webhooks listen: QueueDeletedRecently: Too many queues\n");
    expect(events.commandCalls(DeleteRuleCommand)[0]!.args[0].input.Name).toBe(sessionName());
    expect(events.commandCalls(RemoveTargetsCommand)).toHaveLength(0);
    expect(sqs.commandCalls(DeleteQueueCommand)).toHaveLength(0);
  });

  test("its queue removed by another session (this machine slept past its heartbeat): exit 1 saying so; the rule is removed", async () => {
    const gone = Object.assign(new Error("The specified queue does not exist."), {
      name: "QueueDoesNotExist",
    });
    sqs.on(ReceiveMessageCommand).rejects(gone);
    sqs.on(DeleteQueueCommand).rejects(gone);

    const { code, stdout, stderr } = await runCli(listenRoute("--yes"), inCheckout);

    const name = sessionName();
    expect(code).toBe(1);
    expect(stderr).toBe(
      `webhooks listen: queue ${name} no longer exists: another \`webhooks listen\` removes sessions whose heartbeat stopped for 3 minutes (was this machine asleep?); start again\n`,
    );
    expect(events.commandCalls(DeleteRuleCommand)).toHaveLength(1);
    expect(stdout).toContain(`removed session ${name.slice(-8)}: rule ${name}, queue ${name}\n`);
  });

  test("a resource it cannot remove is named, with how it gets removed later; exit 1", async () => {
    const interrupts = new FakeInterrupts();
    queueHolds(interrupts);
    sqs.on(DeleteQueueCommand).rejects(Object.assign(new Error("slow down"), { name: "RequestThrottled" }));

    const { code, stderr } = await runCli(listenRoute("--yes"), { ...inCheckout, interrupts });

    const name = sessionName();
    expect(code).toBe(1);
    expect(stderr).toContain(`could not remove queue ${name}: RequestThrottled: slow down\n`);
    expect(stderr).toContain(
      `session ${name.slice(-8)} left resources behind: the next \`webhooks listen\` removes them once they are 3 minutes old, \`webhooks listen --clean\` at once\n`,
    );
  });
});

describe("webhooks listen: leftovers of a killed run", () => {
  /** Rules and queues on the account: a dead session, a live one, and look-alikes that are not listen's. */
  function accountHolds() {
    const tagsOf = (session: string, heartbeatAgoMs: number, bus = "whk-dev-bus") => ({
      "webhooks:listen": session,
      "webhooks:listen-bus": bus,
      "webhooks:listen-for": "route payments",
      "webhooks:listen-started": new Date(NOW_MS - 60 * MINUTE).toISOString(),
      "webhooks:listen-heartbeat": new Date(NOW_MS - heartbeatAgoMs).toISOString(),
    });
    const ruleTags: Record<string, Record<string, string>> = {
      [ruleArn("whk-dev-listen-0badcafe")]: tagsOf("0badcafe", 10 * MINUTE),
      [ruleArn("whk-dev-listen-a11ve000")]: tagsOf("a11ve000", 30_000),
      [ruleArn("whk-dev-listen-by-hand")]: {},
      [ruleArn("whk-dev-listen-killedb4")]: tagsOf("killedb4", 5 * MINUTE),
    };
    const queueTags: Record<string, Record<string, string>> = {
      [queueUrl("whk-dev-listen-0badcafe")]: tagsOf("0badcafe", 10 * MINUTE),
      [queueUrl("whk-dev-listen-a11ve000")]: tagsOf("a11ve000", 30_000),
      [queueUrl("whk-dev-listen-0therbus")]: tagsOf("0therbus", 10 * MINUTE, "another-bus"),
    };
    events.on(ListRulesCommand).resolves({
      Rules: Object.keys(ruleTags).map((Arn) => ({ Arn, Name: Arn.split("/").pop() })),
    });
    events.on(ListTagsForResourceCommand).callsFake((input: { ResourceARN: string }) => ({
      Tags: Object.entries(ruleTags[input.ResourceARN]!).map(([Key, Value]) => ({ Key, Value })),
    }));
    events.on(ListTargetsByRuleCommand).resolves({ Targets: [{ Id: "listen-queue", Arn: "x" }] });
    sqs.on(ListQueuesCommand).resolves({ QueueUrls: Object.keys(queueTags) });
    sqs
      .on(ListQueueTagsCommand)
      .callsFake((input: { QueueUrl: string }) => ({ Tags: queueTags[input.QueueUrl] }));
  }

  const deletedRules = () => events.commandCalls(DeleteRuleCommand).map((call) => call.args[0].input.Name);
  const deletedQueues = () => sqs.commandCalls(DeleteQueueCommand).map((call) => call.args[0].input.QueueUrl);

  test("stale sessions found by tag are removed before the new one starts; live ones and look-alikes are not", async () => {
    accountHolds();
    const interrupts = new FakeInterrupts();
    queueHolds(interrupts);

    const { code, stdout } = await runCli(listenRoute("--yes"), { ...inCheckout, interrupts });

    expect(code).toBe(0);
    expect(deletedRules()).toEqual(["whk-dev-listen-0badcafe", "whk-dev-listen-killedb4", sessionName()]);
    expect(deletedQueues()).toEqual([queueUrl("whk-dev-listen-0badcafe"), queueUrl(sessionName())]);
    expect(events.commandCalls(ListRulesCommand)[0]!.args[0].input).toMatchObject({
      EventBusName: "whk-dev-bus",
      NamePrefix: "whk-dev-listen-",
    });
    const firstCreate = events.calls().findIndex((call) => call.args[0] instanceof PutRuleCommand);
    const lastLeftover = events
      .calls()
      .findLastIndex(
        (call) => call.args[0] instanceof DeleteRuleCommand && call.args[0].input.Name !== sessionName(),
      );
    expect(lastLeftover).toBeLessThan(firstCreate);
    expect(stdout).toContain(
      [
        "Leftovers of listen sessions that stopped without cleaning up (no heartbeat for 3 min):",
        "  session 0badcafe (route payments), last alive 2025-01-31T11:50:00.000Z (10 min ago): rule whk-dev-listen-0badcafe, queue whk-dev-listen-0badcafe",
        "  session killedb4 (route payments), last alive 2025-01-31T11:55:00.000Z (5 min ago): rule whk-dev-listen-killedb4",
        "Other listen sessions, alive (left alone; --clean removes them):",
        "  session a11ve000 (route payments), last alive 2025-01-31T11:59:30.000Z (30 s ago): rule whk-dev-listen-a11ve000, queue whk-dev-listen-a11ve000",
        "removed session 0badcafe: rule whk-dev-listen-0badcafe, queue whk-dev-listen-0badcafe",
        "removed session killedb4: rule whk-dev-listen-killedb4",
        "",
      ].join("\n"),
    );
  });

  test("a leftover rule's targets are listed and removed before the rule", async () => {
    accountHolds();
    const interrupts = new FakeInterrupts();
    queueHolds(interrupts);

    await runCli(listenRoute("--yes"), { ...inCheckout, interrupts });

    expect(events.commandCalls(ListTargetsByRuleCommand)[0]!.args[0].input).toEqual({
      Rule: "whk-dev-listen-0badcafe",
      EventBusName: "whk-dev-bus",
    });
    expect(events.commandCalls(RemoveTargetsCommand)[0]!.args[0].input).toEqual({
      Rule: "whk-dev-listen-0badcafe",
      EventBusName: "whk-dev-bus",
      Ids: ["listen-queue"],
    });
  });

  test("a rule another session removes while this one lists the leftovers is skipped", async () => {
    events
      .on(ListRulesCommand)
      .resolves({ Rules: [{ Name: "whk-dev-listen-0badcafe", Arn: ruleArn("whk-dev-listen-0badcafe") }] });
    events.on(ListTagsForResourceCommand).rejects(
      Object.assign(new Error("Rule whk-dev-listen-0badcafe does not exist"), {
        name: "ResourceNotFoundException",
      }),
    );
    const interrupts = new FakeInterrupts();
    queueHolds(interrupts);

    const { code } = await runCli(listenRoute("--yes"), { ...inCheckout, interrupts });

    expect(code).toBe(0);
    expect(deletedRules()).toEqual([sessionName()]);
  });

  test("--clean removes every session on the bus, live ones included, and does not listen", async () => {
    accountHolds();

    const { code, stdout } = await runCli(["listen", "--clean", "--yes"], inCheckout);

    expect(code).toBe(0);
    expect(deletedRules()).toEqual([
      "whk-dev-listen-0badcafe",
      "whk-dev-listen-a11ve000",
      "whk-dev-listen-killedb4",
    ]);
    expect(deletedQueues()).toEqual([
      queueUrl("whk-dev-listen-0badcafe"),
      queueUrl("whk-dev-listen-a11ve000"),
    ]);
    expect(events.commandCalls(PutRuleCommand)).toHaveLength(0);
    expect(stdout).toMatch(
      /^Remove every listen session on bus whk-dev-bus\n {2}region: {3}us-east-1 \(from the stack\)\nListen sessions on the bus:\n/,
    );
  });

  test("--clean with nothing to clean: says so, asks nothing", async () => {
    const { code, stdout, questions } = await runCli(["listen", "--clean"], {
      ...inCheckout,
      interactive: true,
    });

    expect({ code, questions }).toEqual({ code: 0, questions: [] });
    expect(stdout).toContain("no listen session on bus whk-dev-bus\n");
  });
});

describe("webhooks listen: asking first", () => {
  test("without --yes and without a terminal: refuses with exit 2, creates and removes nothing", async () => {
    const { code, stderr } = await runCli(listenRoute(), inCheckout);

    expect(code).toBe(2);
    expect(stderr).toBe(
      "webhooks listen: refusing to act without confirmation: standard input is not a terminal; pass --yes to proceed\n",
    );
    expect(events.commandCalls(PutRuleCommand)).toHaveLength(0);
    expect(sqs.commandCalls(CreateQueueCommand)).toHaveLength(0);
    expect(events.commandCalls(DeleteRuleCommand)).toHaveLength(0);
  });

  test.each([
    { answer: false, code: 1, rules: 0 },
    { answer: true, code: 0, rules: 1 },
  ])(
    "on a terminal, one question names what it creates and where events go: $answer → exit $code",
    async ({ answer, code, rules }) => {
      const interrupts = new FakeInterrupts();
      queueHolds(interrupts);

      const result = await runCli(listenRoute(), {
        ...inCheckout,
        interactive: true,
        answers: [answer],
        interrupts,
      });

      expect(result.code).toBe(code);
      expect(
        result.questions.map((question) => question.replace(/whk-dev-listen-[0-9a-f]{8}/, "<name>")),
      ).toEqual([`Create rule and queue <name> and forward matching events to ${consumer.url}?`]);
      expect(events.commandCalls(PutRuleCommand)).toHaveLength(rules);
    },
  );
});

describe("webhooks listen: IAM", () => {
  test("--help prints the permissions it needs", async () => {
    const { code, stdout } = await runCli(["listen", "--help"]);

    expect(code).toBe(0);
    expect(stdout).toContain(
      `IAM the caller needs (<base> is the stack's name base, e.g. whk-dev):\n${listenIam()
        .split("\n")
        .map((line) => `  ${line}`)
        .join("\n")}\n`,
    );
    expect(listenIam()).toContain("on arn:aws:events:<region>:<account>:rule/<bus>/<base>-listen-*");
  });

  test("AccessDenied prints them for this bus and account", async () => {
    sqs.on(CreateQueueCommand).rejects(
      Object.assign(
        new Error(
          `User: arn:aws:sts::${ACCOUNT}:assumed-role/dev/alice is not authorized to perform: sqs:createqueue`,
        ),
        {
          name: "AccessDeniedException",
        },
      ),
    );

    const { code, stderr } = await runCli(listenRoute("--yes"), inCheckout);

    expect(code).toBe(1);
    expect(stderr).toContain("webhooks listen: AccessDeniedException: User: ");
    expect(stderr).toContain(
      `webhooks listen needs:\n  ${listenIam({
        region: "us-east-1",
        account: ACCOUNT,
        busName: "whk-dev-bus",
        prefix: "whk-dev-listen-",
      })
        .split("\n")
        .join("\n  ")}\n`,
    );
    expect(stderr).toContain(`on arn:aws:sqs:us-east-1:${ACCOUNT}:whk-dev-listen-*`);
  });

  test("AccessDenied before anything exists (listing leftovers) prints them too", async () => {
    events
      .on(ListRulesCommand)
      .rejects(Object.assign(new Error("not authorized"), { name: "AccessDeniedException" }));

    const { code, stderr } = await runCli(listenRoute("--yes"), inCheckout);

    expect(code).toBe(1);
    expect(stderr).toContain("on arn:aws:events:us-east-1:<account>:rule/whk-dev-bus/whk-dev-listen-*");
    expect(events.commandCalls(PutRuleCommand)).toHaveLength(0);
  });
});

describe("webhooks listen: bad input", () => {
  test.each([
    [["--forward", "http://localhost:3000/"], "--route is required (or --pattern / --pattern-file)"],
    [
      ["--route", "payments", "--pattern", "{}", "--forward", "http://localhost/"],
      "--route and --pattern are exclusive",
    ],
    [
      ["--route", "refunds", "--forward", "http://localhost/"],
      "--route: refunds is not a route of the stack (payments)",
    ],
    [["--route", "payments"], "--forward is required"],
    [
      ["--route", "payments", "--forward", "ftp://localhost/"],
      "--forward must be an http or https URL, got ftp",
    ],
    [
      ["--route", "payments", "--forward", "localhost:3000"],
      "--forward must be an http or https URL, got localhost",
    ],
    [
      ["--route", "payments", "--forward", "not a url"],
      "--forward must be an http(s) URL such as http://localhost:3000/hook",
    ],
    [["--pattern", "{source:", "--forward", "http://localhost/"], "--pattern is not JSON"],
    [
      ["--pattern", '{"source":[{"prefix":1}]}', "--forward", "http://localhost/"],
      "--pattern: the pattern has parts this CLI cannot explain, so it will not listen for it: source: prefix takes a string",
    ],
    [
      ["--route", "payments", "--forward", "http://localhost/", "--max-events", "0"],
      "--max-events must be an integer in 1..1000000",
    ],
    [["--clean", "--route", "payments"], "--clean removes sessions and exits: it takes no --route"],
  ])("%j: exit 2", async (argv, message) => {
    const { code, stderr } = await runCli(["listen", ...argv], inCheckout);

    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(events.calls()).toHaveLength(0);
    expect(sqs.calls()).toHaveLength(0);
  });

  test("--forward to another machine: a warning, then it listens", async () => {
    const interrupts = new FakeInterrupts();
    queueHolds(interrupts);

    const { code, stderr } = await runCli(
      ["listen", "--route", "payments", "--forward", "https://dev.example.com/hook", "--yes"],
      { ...inCheckout, interrupts },
    );

    expect(code).toBe(0);
    expect(stderr).toContain(
      "warning: --forward goes to dev.example.com, not this machine: every matching event, payload included, is sent there\n",
    );
  });
});
