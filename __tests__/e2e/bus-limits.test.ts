/**
 * The limits between a correctly signed request and the bus, end to end (functions/shared/limits.ts):
 * at each limit the webhook reaches the bus intact, one past it is either carried intact by
 * reference or refused with a 4xx before anything is stored. And a delivery id reused for another
 * body is refused (409), never queued, while the first body is routed once. The same world and
 * invariants as fault-injection.test.ts; the simulated SQS and EventBridge flag anything the real
 * services would refuse (characters SQS does not allow, DetailType length, nesting, int64).
 */
import { webhookIdFor } from "@webhooks/shared";
import { type LocalTable, startLocalTable } from "../support/dynalite";
import { invariantViolations } from "./support/invariants";
import { prepareOctokitSignatures, type Webhook } from "./support/senders";
import { createWorld, SENDER_MAX_ATTEMPTS, type World } from "./support/world";

let table: LocalTable;
let endpoint: string;

beforeAll(async () => {
  prepareOctokitSignatures();
  table = await startLocalTable("webhooks-e2e-limits");
  const { protocol, hostname, port } = await table.client.config.endpoint!();
  endpoint = `${protocol}//${hostname}:${port}`;
});
afterAll(() => table?.close());

function acme(deliveryId: string, body: string, eventType = "order.created"): Webhook {
  return {
    sample: "acme",
    provider: "acme",
    deliveryId,
    webhookId: webhookIdFor("acme", deliveryId),
    eventType,
    body,
    forged: false,
  };
}

function stripe(deliveryId: string, amount: number): Webhook {
  const body = JSON.stringify({ id: deliveryId, object: "event", type: "charge.succeeded", amount });
  return {
    sample: "stripe",
    provider: "stripe",
    deliveryId,
    webhookId: webhookIdFor("stripe", deliveryId),
    eventType: "charge.succeeded",
    body,
    forged: false,
  };
}

/** A body `levels` deep (the object, arrays, the scalar inside). */
const deep = (levels: number) =>
  `{"type":"order.created","deep":${"[".repeat(levels - 2)}0${"]".repeat(levels - 2)}}`;

/** How each webhook's event sits on the bus: its payload inline or by reference; absent if not on it. */
function carriage(world: World, webhook: Webhook): "data" | "payloadRef" | "absent" {
  const event = world.bus.find((candidate) => candidate.detail.webhookId === webhook.webhookId);
  if (!event) return "absent";
  return "data" in event.detail ? "data" : "payloadRef";
}

test("each limit: at it, inline and intact; past it, by reference and intact, or 400 before anything is stored", async () => {
  const cases = [
    { webhook: acme("lim-depth-998", deep(998)), on: "data" },
    { webhook: acme("lim-depth-999", deep(999)), on: "payloadRef" },
    { webhook: acme("lim-int-max", '{"type":"order.created","id":9007199254740991}'), on: "data" },
    { webhook: acme("lim-int-over", '{"type":"order.created","id":9007199254740993}'), on: "payloadRef" },
    { webhook: acme("lim-uffff", '{"type":"order.created","note":"\\uffff"}'), on: "payloadRef" },
    { webhook: acme("lim-type-128", `{"type":"${"t".repeat(128)}"}`, "t".repeat(128)), on: "data" },
    { webhook: acme("lim-type-129", `{"type":"${"t".repeat(129)}"}`, "t".repeat(129)), on: "absent" },
  ] as const;
  const world = createWorld(table, endpoint);

  for (const { webhook } of cases) await world.send(webhook);
  await world.drain();

  const refused = cases.filter((c) => c.on === "absent").map((c) => c.webhook);
  expect(await invariantViolations(world, { refused })).toEqual([]);
  expect(cases.map(({ webhook }) => [webhook.deliveryId, carriage(world, webhook)])).toEqual(
    cases.map(({ webhook, on }) => [webhook.deliveryId, on]),
  );
  expect(world.senders.map((log) => log.answers)).toEqual(
    cases.map(({ on }) => (on === "absent" ? Array(SENDER_MAX_ATTEMPTS).fill(400) : [202])),
  );
  // The integer past 2^53 reached the bucket as the sender wrote it, not rounded by a parse.
  const rounded = [...world.bucket.values()].map((object) => Buffer.from(object.body).toString("utf8"));
  expect(rounded).toContain('{"type":"order.created","id":9007199254740993}');
});

describe("a delivery id reused for a different body", () => {
  test.each([
    { name: "no fault", faults: [] as const, firstAnswers: [202] },
    {
      name: "the first body's SendMessage stored but its answer lost (two messages of it)",
      faults: [{ point: "sendMessage", times: 1, lost: "answer" }] as const,
      firstAnswers: [503, 202],
    },
  ])(
    "$name: the retry of the same body is a duplicate, the other body 409 on every attempt; the bus carries the first body once",
    async ({ faults, firstAnswers }) => {
      const id = `evt_conflict_${firstAnswers.length}`;
      const first = stripe(id, 4200);
      const resent = stripe(id, 4200);
      const changed = stripe(id, 9900);
      const world = createWorld(table, endpoint, {
        faults: faults.map((fault) => ({ ...fault, only: new Set([first.webhookId]) })),
      });

      await world.send(first);
      world.clock.advance(60_000);
      await world.send(resent); // re-signed with a fresh timestamp, as Stripe retries
      await world.send(changed);
      await world.drain();

      expect(await invariantViolations(world, { refused: [changed] })).toEqual([]);
      expect(world.senders.map((log) => log.answers)).toEqual([
        firstAnswers,
        [200],
        Array(SENDER_MAX_ATTEMPTS).fill(409),
      ]);
      expect(world.bus.filter((event) => event.detail.webhookId === first.webhookId)).toHaveLength(1);
      expect(world.metrics.counts.filter((count) => count.reason === "delivery_id_conflict")).toHaveLength(
        SENDER_MAX_ATTEMPTS,
      );
      expect(world.validatorLog.lines).toContainEqual({
        level: "warn",
        message: "delivery id reused for a different body",
        attributes: expect.objectContaining({
          provider: "stripe",
          deliveryId: id,
          webhookId: first.webhookId,
        }),
      });
    },
  );
});
