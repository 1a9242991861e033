/**
 * End to end, in one process: senders sign with the providers' own libraries → the real validator
 * handler and SDK adapters → SQS (simulated at the SDK boundary: receive counts, redelivery,
 * DLQ after 3 receives, at-least-once copies) → the real router handler and SDK adapters →
 * EventBridge (captured at the SDK boundary), with the delivery records in dynalite.
 *
 * Each scenario injects a fault at one external call, lets senders retry and SQS redeliver, then
 * checks the guarantees (support/invariants.ts) and what the scenario must show. The six HMAC
 * senders go through every scenario; a sender of each other family (Discord's Ed25519, GitLab's
 * token, Twilio's code module) joins the scenarios whose fault hits every sender at the validator,
 * where a family's signature, identity and re-signed retries meet the fault. Past the validator a
 * delivery is an envelope like any other, so the router-side scenarios keep the HMAC senders (and
 * the file its time).
 */
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { RecordAttribute } from "@webhooks/shared";
import { type LocalTable, startLocalTable } from "../support/dynalite";
import type { Fault } from "./support/faults";
import { invariantViolations, record } from "./support/invariants";
import {
  asanaEvent,
  asanaHandshake,
  authenticWebhooks,
  FORGED_HOOK_SECRET,
  forgedWebhooks,
  HMAC_SAMPLES,
  PROVIDERS,
  prepareOctokitSignatures,
  SAMPLES,
  type Sample,
  SIGNING_SECRETS,
  type Webhook,
} from "./support/senders";
import { createWorld, is2xx, type World } from "./support/world";

/** A fault as the table states it: `only` names senders, not ids. */
type FaultSpec = Omit<Fault, "only"> & { readonly only?: readonly Sample[] };

interface Scenario {
  /** The fault, as the test's name says it. */
  readonly name: string;
  /** What the scenario shows. */
  readonly shows: string;
  readonly faults: readonly FaultSpec[];
  /** Every attempt's status per sender. @default [202] */
  readonly answers?: Partial<Record<Sample, readonly number[]>>;
  /** Router receives of each sender's message before it was deleted or parked. @default 1 */
  readonly receives?: Partial<Record<Sample, number>>;
  /** Parked in the DLQ by a persistent router-side fault; redriven once the fault clears. */
  readonly dlq?: readonly Sample[];
  /** On the bus twice: the ROUTED mark failed, so SQS's at-least-once copy was put again. */
  readonly twiceOnBus?: readonly Sample[];
  /** Each record's status once the senders are done, before the router runs. @default "QUEUED" */
  readonly beforeRouting?: Partial<Record<Sample, string>>;
  /** Each record's final status. @default "ROUTED" */
  readonly records?: Partial<Record<Sample, string>>;
  /** The other families' senders join the HMAC ones. @default false */
  readonly everyFamily?: boolean;
}

const ALL = SAMPLES;
const FAILS_THEN_OK = [503, 202] as const;
const FAILS_3_THEN_OK = [503, 503, 503, 202] as const;
const everyone = <T>(value: T) =>
  Object.fromEntries(ALL.map((sample) => [sample, value])) as Record<Sample, T>;

const SCENARIOS: readonly Scenario[] = [
  {
    name: "no fault",
    everyFamily: true,
    shows: "every webhook 202, routed once; copies skipped as already ROUTED",
    faults: [],
  },
  {
    name: "secrets fetch fails once",
    everyFamily: true,
    shows: "each provider's first request 503 (fail closed), its retry 202, routed once",
    faults: [{ point: "secrets", times: 1 }],
    answers: everyone(FAILS_THEN_OK),
  },
  {
    name: "secrets fetch fails 3 times in a row (Stripe's secret)",
    shows: "Stripe sees 503 ×3, the 4th attempt 202; nothing cached the failure",
    faults: [{ point: "secrets", times: 3, only: ["stripe"] }],
    answers: { stripe: FAILS_3_THEN_OK },
  },
  {
    name: "table claim fails once",
    everyFamily: true,
    shows: "503 with no record left, the retry claims and is routed once",
    faults: [{ point: "claim", times: 1 }],
    answers: everyone(FAILS_THEN_OK),
  },
  {
    name: "table claim is written but its answer is lost",
    everyFamily: true,
    shows:
      "503; the retry within the lease gets 409, the one after it takes the claim over: 202, routed once",
    faults: [{ point: "claim", times: 1, lost: "answer" }],
    answers: everyone([503, 409, 202]),
  },
  {
    name: "table claim fails 3 times in a row (GitHub)",
    shows: "GitHub sees 503 ×3, then 202",
    faults: [{ point: "claim", times: 3, only: ["github"] }],
    answers: { github: FAILS_3_THEN_OK },
  },
  {
    name: "bucket put (claim check) fails once",
    shows:
      "the large GitHub push gets 503 and its claim is released; the retry 202, routed once by reference",
    faults: [{ point: "bucketPut", times: 1 }],
    answers: { github: FAILS_THEN_OK },
  },
  {
    name: "bucket put fails 3 times in a row",
    shows: "GitHub sees 503 ×3, then 202",
    faults: [{ point: "bucketPut", times: 3 }],
    answers: { github: FAILS_3_THEN_OK },
  },
  {
    name: "SendMessage fails once",
    everyFamily: true,
    shows: "503 and the claim released, the retry 202 at once, routed once",
    faults: [{ point: "sendMessage", times: 1 }],
    answers: everyone(FAILS_THEN_OK),
  },
  {
    name: "SendMessage fails 3 times in a row (Slack)",
    shows: "Slack sees 503 ×3 (its retries carry X-Slack-Retry-Num), then 202",
    faults: [{ point: "sendMessage", times: 3, only: ["slack"] }],
    answers: { slack: FAILS_3_THEN_OK },
  },
  {
    name: "QUEUED status update fails",
    everyFamily: true,
    shows: "still 202 (the message is in SQS); the record stays RECEIVED until the router marks it ROUTED",
    faults: [{ point: "queuedMark", times: Number.POSITIVE_INFINITY }],
    beforeRouting: everyone("RECEIVED"),
  },
  {
    name: "S3 get fails once",
    shows: "the router reports the claim-checked message; SQS redelivers it and the 2nd receive routes it",
    faults: [{ point: "s3Get", times: 1 }],
    receives: { github: 2 },
  },
  {
    name: "S3 get fails on every read",
    shows: "after 3 receives the message is parked in the DLQ, not lost; a redrive routes it once",
    faults: [{ point: "s3Get", times: Number.POSITIVE_INFINITY }],
    receives: { github: 3 },
    dlq: ["github"],
    records: { github: "QUEUED" },
  },
  {
    name: "PutEvents partial: Stripe's and GitHub's entries throttled once",
    shows: "the router re-puts only those entries in the same invocation; no redelivery, no duplicate",
    faults: [
      { point: "putEventsPartial", times: 1, only: ["stripe", "github"], code: "ThrottlingException" },
    ],
  },
  {
    name: "PutEvents partial: Shopify's entry refused once (AccessDeniedException, not retryable)",
    shows: "reported at once, not retried in the invocation; SQS's 2nd receive routes it",
    faults: [{ point: "putEventsPartial", times: 1, only: ["shopify"], code: "AccessDeniedException" }],
    receives: { shopify: 2 },
  },
  {
    name: "PutEvents partial: acme's entry fails on all 6 attempts of a receive (InternalFailure)",
    shows: "reported when the attempts run out; the 2nd receive routes it",
    faults: [{ point: "putEventsPartial", times: 6, only: ["acme"], code: "InternalFailure" }],
    receives: { acme: 2 },
  },
  {
    name: "PutEvents partial: std's entry fails on every attempt (InternalFailure)",
    shows: "the other five are routed; std is parked in the DLQ after 3 receives, a redrive routes it",
    faults: [
      { point: "putEventsPartial", times: Number.POSITIVE_INFINITY, only: ["std"], code: "InternalFailure" },
    ],
    receives: { std: 3 },
    dlq: ["std"],
    records: { std: "QUEUED" },
  },
  {
    name: "PutEvents total: the call throws once",
    shows: "the router retries the call within the invocation; every event once",
    faults: [{ point: "putEventsTotal", times: 1 }],
  },
  {
    name: "PutEvents total: every call throws (EventBridge outage)",
    shows: "all six parked in the DLQ after 3 receives, none lost; a redrive routes each once",
    faults: [{ point: "putEventsTotal", times: Number.POSITIVE_INFINITY }],
    receives: everyone(3),
    dlq: ALL,
    records: everyone("QUEUED"),
  },
  {
    name: "ROUTED update fails once (Stripe)",
    shows: "acknowledged, not reported; the record stays QUEUED, so SQS's at-least-once copy is put again",
    faults: [{ point: "routedMark", times: 1, only: ["stripe"] }],
    twiceOnBus: ["stripe"],
  },
  {
    name: "ROUTED update is applied but its answer is lost (Stripe)",
    shows: "the record is ROUTED after all, so the copy is skipped: once on the bus",
    faults: [{ point: "routedMark", times: 1, only: ["stripe"], lost: "answer" }],
  },
  {
    name: "ROUTED update fails on every call (GitHub)",
    shows: "the original and the copy are both put (the allowed duplicate); the record stays QUEUED",
    faults: [{ point: "routedMark", times: Number.POSITIVE_INFINITY, only: ["github"] }],
    twiceOnBus: ["github"],
    records: { github: "QUEUED" },
  },
  {
    name: "router status read fails once (the whole invocation fails)",
    shows: "nothing is put; SQS redelivers the whole batch and the 2nd receive routes all",
    faults: [{ point: "statusRead", times: 1 }],
    receives: everyone(2),
  },
  {
    name: "router status read fails on every call",
    shows: "the whole batch is parked in the DLQ after 3 receives; a redrive routes each once",
    faults: [{ point: "statusRead", times: Number.POSITIVE_INFINITY }],
    receives: everyone(3),
    dlq: ALL,
    records: everyone("QUEUED"),
  },
];

let table: LocalTable;
let endpoint: string;
let scenarioCount = 0;
const figures: Record<string, unknown>[] = [];

beforeAll(async () => {
  prepareOctokitSignatures();
  table = await startLocalTable("webhooks-e2e");
  const { protocol, hostname, port } = await table.client.config.endpoint!();
  endpoint = `${protocol}//${hostname}:${port}`;
});
afterAll(async () => {
  await table?.close();
  if (process.env.E2E_FIGURES) console.table(figures);
});

test("the local table is the stack's table: key webhookId alone, no secondary index", async () => {
  // WebhookTable builds the synthesized table from the same constants (checked in
  // __tests__/ingress/webhook-table.test.ts); here the dynalite table is held to them.
  const { Table } = await table.client.send(new DescribeTableCommand({ TableName: table.tableName }));
  expect(Table?.KeySchema).toEqual([{ AttributeName: RecordAttribute.webhookId, KeyType: "HASH" }]);
  expect(Table?.GlobalSecondaryIndexes).toBeUndefined();
  expect(Table?.LocalSecondaryIndexes).toBeUndefined();
});

describe("end to end under injected faults: sender → validator → SQS → router → bus", () => {
  test.each(SCENARIOS)("$name: $shows", async (scenario) => {
    // Prepare
    const tag = `f${String(++scenarioCount).padStart(2, "0")}`;
    const senders: readonly Sample[] = scenario.everyFamily ? SAMPLES : HMAC_SAMPLES;
    const taking = (webhook: Webhook) => senders.includes(webhook.sample);
    /** Per sender of this scenario: `value`, except where `overrides` names the sender. */
    const expected = <T>(value: T, overrides: Partial<Record<Sample, T>> = {}) =>
      Object.fromEntries(senders.map((sample) => [sample, sample in overrides ? overrides[sample] : value]));
    const webhooks = authenticWebhooks(tag).filter(taking);
    const dlq = scenario.dlq?.filter((sample) => senders.includes(sample));
    const world = createWorld(table, endpoint, {
      faults: scenario.faults.map((spec) => fault(spec, webhooks)),
    });

    // Act: each sender delivers (retrying non-2xx), forgers try too; then the queue drains.
    for (const webhook of webhooks) await world.send(webhook);
    for (const webhook of forgedWebhooks(tag).filter(taking)) await world.send(webhook);
    const beforeRouting = await recordStatuses(world);
    await world.drain();

    // Assess
    expect(await invariantViolations(world, { dlq })).toEqual([]);
    for (const spec of scenario.faults) expect(world.plan.count(spec.point)).toBeGreaterThan(0);
    expect(answersBySender(world)).toEqual(expected<readonly number[]>([202], scenario.answers));
    expect(beforeRouting).toEqual(expected("QUEUED", scenario.beforeRouting));
    expect(receivesBySender(world)).toEqual(expected(1, scenario.receives));
    expect(busCountBySender(world)).toEqual(
      expected(1, {
        ...Object.fromEntries((scenario.twiceOnBus ?? []).map((sample) => [sample, 2])),
        ...Object.fromEntries((dlq ?? []).map((sample) => [sample, 0])),
      }),
    );
    expect(claimCheckedSenders(world)).toEqual(["github"]);
    expect(await recordStatuses(world)).toEqual(expected("ROUTED", scenario.records));
    const before = snapshot(world);

    // An operator redrives the DLQ once the outage is over: every parked webhook is routed once.
    if (dlq) {
      world.plan.clear();
      expect(world.queue.redrive()).toBe(dlq.length);
      await world.drain();
      expect(await invariantViolations(world)).toEqual([]);
      expect(busCountBySender(world)).toEqual(expected(1));
      expect(await recordStatuses(world)).toEqual(expected("ROUTED"));
    }
    figures.push({ scenario: scenario.name, ...before, afterRedrive: scenario.dlq ? world.bus.length : "" });
  });
});

describe("a stateful handshake under faults: Asana hands its secret over, then delivers", () => {
  const secretId = PROVIDERS.find((provider) => provider.id === "asana")!.secretId;
  const handshake = (secret: string) => (attempt: number) =>
    asanaHandshake(secret, `asana-handshake-${attempt}`);

  test("PutSecretValue fails once: 503, nothing echoed; the retry stores the secret and echoes it; the first event signed with it is routed once", async () => {
    const world = createWorld(table, endpoint, { faults: [{ point: "secretPut", times: 1 }] });

    const answered = await world.request(handshake(SIGNING_SECRETS.asana!));
    const event = asanaEvent("h01");
    await world.send(event);
    await world.drain();

    expect(answered.answers).toEqual([503, 200]);
    expect(answered.responses[0]!.headers).not.toHaveProperty("X-Hook-Secret");
    expect(answered.responses[1]!.headers).toEqual({ "X-Hook-Secret": SIGNING_SECRETS.asana });
    expect(world.secretDocument(secretId)).toEqual({ secrets: [SIGNING_SECRETS.asana] });
    expect(world.senders.map((log) => log.answers)).toEqual([[202]]);
    expect(world.queue.accepted.map((message) => message.webhookId)).toEqual([event.webhookId]);
    expect(await invariantViolations(world)).toEqual([]);
  });

  test("once the secret is set, another handshake is refused (403) and its secret signs nothing", async () => {
    const world = createWorld(table, endpoint);
    await world.request(handshake(SIGNING_SECRETS.asana!));

    const forged = await world.request(handshake(FORGED_HOOK_SECRET));
    await world.send(asanaEvent("h02-forged", true));
    await world.send(asanaEvent("h02"));
    await world.drain();

    expect(forged.answers.every((status) => status === 403)).toBe(true);
    expect(world.secretDocument(secretId)).toEqual({ secrets: [SIGNING_SECRETS.asana] });
    expect(world.secretVersionsWritten).toBe(1);
    expect(world.senders.map((log) => [log.webhook.forged, log.answers.at(-1)])).toEqual([
      [true, 401],
      [false, 202],
    ]);
    expect(await invariantViolations(world)).toEqual([]);
  });
});

/** A table fault made concrete for this scenario's webhooks (and, for secrets, their secret ids). */
function fault(spec: FaultSpec, webhooks: readonly Webhook[]): Fault {
  if (!spec.only) return { ...spec, only: undefined };
  const subjects = spec.only.flatMap((sample) =>
    spec.point === "secrets"
      ? PROVIDERS.filter((provider) => provider.id === sample).map((provider) => provider.secretId)
      : webhooks.filter((webhook) => webhook.sample === sample).map((webhook) => webhook.webhookId),
  );
  return { ...spec, only: new Set(subjects) };
}

function bySender<T>(world: World, value: (webhook: Webhook) => T): Record<Sample, T> {
  const authentic = world.senders.filter((log) => !log.webhook.forged);
  return Object.fromEntries(authentic.map((log) => [log.webhook.sample, value(log.webhook)])) as Record<
    Sample,
    T
  >;
}

function answersBySender(world: World) {
  return bySender(world, (webhook) => world.senders.find((log) => log.webhook === webhook)!.answers);
}

/** Receives of each sender's original message (not SQS's extra copies), up to its deletion or the DLQ. */
function receivesBySender(world: World) {
  return bySender(world, (webhook) =>
    Math.max(
      0,
      ...world.queue.receives
        .filter((receive) => receive.webhookId === webhook.webhookId && !receive.copy)
        .map((receive) => receive.receiveCount),
    ),
  );
}

function busCountBySender(world: World) {
  return bySender(
    world,
    (webhook) => world.bus.filter((event) => event.detail.webhookId === webhook.webhookId).length,
  );
}

/** Senders whose payload the validator stored in the bucket (the claim check). */
function claimCheckedSenders(world: World): Sample[] {
  return world.senders
    .filter((log) => [...world.bucket.keys()].some((key) => key.endsWith(`/${log.webhook.webhookId}`)))
    .map((log) => log.webhook.sample);
}

async function recordStatuses(world: World) {
  const entries = await Promise.all(
    world.senders
      .filter((log) => !log.webhook.forged)
      .map(
        async (log) => [log.webhook.sample, (await record(world, log.webhook.webhookId))?.status] as const,
      ),
  );
  return Object.fromEntries(entries);
}

/** The figures of a scenario, for the report (`E2E_FIGURES=1`). */
function snapshot(world: World) {
  const receives = world.queue.receives;
  return {
    senderRetries: world.senders
      .filter((log) => !log.webhook.forged)
      .reduce((sum, log) => sum + log.answers.length - 1, 0),
    forgedAnswers: [
      ...new Set(world.senders.filter((log) => log.webhook.forged).flatMap((log) => log.answers)),
    ].join("/"),
    accepted: world.senders.filter((log) => log.answers.some(is2xx)).length,
    queued: world.queue.accepted.length,
    routerInvocations: world.queue.invocations,
    failedInvocations: world.queue.failedInvocations,
    redeliveries: receives.filter((receive) => !receive.copy && receive.receiveCount > 1).length,
    copiesDelivered: receives.filter((receive) => receive.copy).length,
    skippedAlreadyRouted: world.counters.get("skippedAlreadyRouted"),
    putEventsCalls: world.putEventsCalls,
    markRoutedFailed: world.counters.get("markRoutedFailed"),
    onBus: world.bus.length,
    dlq: world.queue.dlq.length,
    faultsInjected: world.plan.injected.length,
  };
}
