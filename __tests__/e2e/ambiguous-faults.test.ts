/**
 * Faults beyond the list: calls that did their work but whose answer was lost (a timeout,
 * a dropped connection). The caller cannot tell them from a failure, so a retry does the work
 * twice. The same world and the same invariants as fault-injection.test.ts.
 */
import { type LocalTable, startLocalTable } from "../support/dynalite";
import { invariantViolations, record } from "./support/invariants";
import {
  asanaEvent,
  asanaHandshake,
  authenticWebhooks,
  forgedWebhooks,
  PROVIDERS,
  prepareOctokitSignatures,
  SAMPLES,
  SIGNING_SECRETS,
  type Webhook,
} from "./support/senders";
import { createWorld } from "./support/world";

let table: LocalTable;
let endpoint: string;

beforeAll(async () => {
  prepareOctokitSignatures();
  table = await startLocalTable("webhooks-e2e-ambiguous");
  const { protocol, hostname, port } = await table.client.config.endpoint!();
  endpoint = `${protocol}//${hostname}:${port}`;
});
afterAll(() => table?.close());

const only = (webhooks: readonly Webhook[], sample: string) =>
  new Set(webhooks.filter((webhook) => webhook.sample === sample).map((webhook) => webhook.webhookId));

async function run(world: ReturnType<typeof createWorld>, tag: string, webhooks: readonly Webhook[]) {
  for (const webhook of webhooks) await world.send(webhook);
  for (const webhook of forgedWebhooks(tag)) await world.send(webhook);
  await world.drain();
}

describe("answers lost after the work was done", () => {
  test("PutSecretValue stores Asana's secret but its answer is lost: 503; the retry finds it stored and echoes it without a second write", async () => {
    const world = createWorld(table, endpoint, {
      faults: [{ point: "secretPut", times: 1, lost: "answer" }],
    });
    const secretId = PROVIDERS.find((provider) => provider.id === "asana")!.secretId;

    const answered = await world.request((attempt) =>
      asanaHandshake(SIGNING_SECRETS.asana!, `asana-handshake-${attempt}`),
    );
    await world.send(asanaEvent("a04"));
    await world.drain();

    expect(answered.answers).toEqual([503, 200]);
    expect(world.secretVersionsWritten).toBe(1);
    expect(world.secretDocument(secretId)).toEqual({ secrets: [SIGNING_SECRETS.asana] });
    expect(world.senders.map((log) => log.answers)).toEqual([[202]]);
    expect(await invariantViolations(world)).toEqual([]);
  });

  /*
   * Two SQS messages for one webhook: this SendMessage whose answer was lost (the validator answers
   * 503 and releases the claim, the sender's retry enqueues again). They sit next to each other, so
   * they share a batch, where the router's one status read cannot tell them apart: it puts the
   * first copy only (found by this test; see functions/router/README.md, "Copies in one batch").
   */
  test("SendMessage is stored but its answer is lost (acme): the retry's second message is not put twice", async () => {
    const tag = "a01";
    const webhooks = authenticWebhooks(tag);
    const world = createWorld(table, endpoint, {
      faults: [{ point: "sendMessage", times: 1, lost: "answer", only: only(webhooks, "acme") }],
    });

    await run(world, tag, webhooks);

    const acme = world.senders.find((log) => log.webhook.sample === "acme")!;
    expect(acme.answers).toEqual([503, 202]);
    expect(
      world.queue.accepted.filter((message) => message.webhookId === acme.webhook.webhookId),
    ).toHaveLength(2);
    expect(world.queue.invocations).toBe(2); // one batch of ten, then SQS's copies
    expect(await invariantViolations(world)).toEqual([]);
  });

  /*
   * A limit of the guarantee, not a bug: EventBridge has no idempotency key, so when a PutEvents
   * call stored its events and the answer was lost, the router's retry puts them again and no
   * ROUTED mark could have prevented it. Consumers dedupe on `webhookId` (docs/architecture.md:
   * routing is at least once). Invariant 2 reports exactly these.
   */
  test("PutEvents stored the events but its answer was lost: the retry puts each again, nothing else breaks", async () => {
    const tag = "a03";
    const webhooks = authenticWebhooks(tag);
    const world = createWorld(table, endpoint, {
      faults: [{ point: "putEventsTotal", times: 1, lost: "answer" }],
    });

    await run(world, tag, webhooks);

    expect(world.bus).toHaveLength(2 * SAMPLES.length);
    expect(await invariantViolations(world)).toEqual(
      webhooks.map(
        (webhook) =>
          `${webhook.sample} ${webhook.deliveryId} is on the bus 2 times and its ROUTED mark never failed`,
      ),
    );
    for (const webhook of webhooks)
      expect(await record(world, webhook.webhookId)).toMatchObject({ status: "ROUTED" });
  });
});
