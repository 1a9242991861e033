import { runCli } from "../cli/support/cli-io";
import {
  type Delivery,
  githubPushes,
  post,
  type StartedDev,
  startConsumer,
  startDev,
  stripeEvent,
  svixMessage,
  until,
} from "./support/dev-server";

// End to end over real HTTP: senders sign with the providers' own libraries and POST to
// `webhooks dev`, whose real validator and router put the events on route queues that forward to a
// consumer's HTTP server. Visibility timeouts are 100 ms, so redeliveries take a fraction of a second.

/** Events whose consumer answer the test changes: the rest get 200. */
const answers = { flaky: [500, 200], broken: true };

let dev: StartedDev;
let consumer: Awaited<ReturnType<typeof startConsumer>>;

beforeAll(async () => {
  consumer = await startConsumer((delivery) => {
    if (delivery.deliveryId === "evt_flaky") return answers.flaky.shift() ?? 200;
    if (delivery.deliveryId === "evt_broken") return answers.broken ? 500 : 200;
    return 200;
  });
  dev = await startDev({
    forwards: new Map([
      ["payments", consumer.url("/payments")],
      ["pushes", consumer.url("/pushes")],
      ["invoices", consumer.url("/invoices")],
    ]),
  });
});

afterAll(async () => {
  await dev.server.stop();
  await consumer.close();
});

const deliveriesOf = (deliveryId: string): Delivery[] =>
  consumer.received.filter((delivery) => delivery.deliveryId === deliveryId);

test("a Stripe event signed by stripe-node is forwarded once; the sender's retry is answered as a duplicate", async () => {
  const event = stripeEvent("evt_once", "payment_intent.succeeded");

  const first = await post(dev.url, event);
  await until("the consumer to receive evt_once", () => deliveriesOf("evt_once").length === 1);
  const retry = await post(dev.url, event);
  // Anything after the retry in the route queue arrives after it would have.
  await post(dev.url, stripeEvent("evt_after_retry", "payment_intent.created"));
  await until("the consumer to receive evt_after_retry", () => deliveriesOf("evt_after_retry").length === 1);

  expect(first).toEqual({ status: 202, body: { webhookId: expect.stringMatching(/^wh_/) } });
  expect(retry).toEqual({ status: 200, body: { webhookId: first.body.webhookId, duplicate: true } });
  expect(deliveriesOf("evt_once")).toEqual([
    expect.objectContaining({
      source: "webhooks.stripe",
      detailType: "payment_intent.succeeded",
      status: 200,
    }),
  ]);
});

test("GitHub pushes signed by @octokit/webhooks-methods and Svix messages signed by standardwebhooks reach their routes", async () => {
  const [push] = githubPushes(["d1e2e000-dev-push"]);
  const message = svixMessage("invoice.paid");

  expect((await post(dev.url, push!)).status).toBe(202);
  expect((await post(dev.url, message)).status).toBe(202);
  await until(
    "both events at the consumer",
    () => deliveriesOf("d1e2e000-dev-push").length + deliveriesOf(message.id).length === 2,
  );

  expect(deliveriesOf("d1e2e000-dev-push")).toEqual([
    expect.objectContaining({ source: "webhooks.github", detailType: "push", status: 200 }),
  ]);
  expect(deliveriesOf(message.id)).toEqual([
    expect.objectContaining({ source: "webhooks.svix", detailType: "invoice.paid", status: 200 }),
  ]);
});

test("an event a consumer answers with 500 is delivered again after the visibility timeout, as SQS does", async () => {
  await post(dev.url, stripeEvent("evt_flaky", "payment_intent.succeeded"));
  await until("a delivery of evt_flaky that succeeded", () =>
    deliveriesOf("evt_flaky").some((delivery) => delivery.status === 200),
  );

  const [failed, succeeded] = deliveriesOf("evt_flaky");
  expect(deliveriesOf("evt_flaky").map((delivery) => delivery.status)).toEqual([500, 200]);
  expect(succeeded!.eventId).toBe(failed!.eventId);
});

test("an event its consumer keeps refusing lands in the route's DLQ, and redrive --dev brings it back", async () => {
  const dlq = dev.server.queues.get(
    dev.server.plan.routes.find((route) => route.id === "payments")!.dlqName,
  )!;
  await post(dev.url, stripeEvent("evt_broken", "payment_intent.payment_failed"));
  await until("evt_broken in the payments DLQ", () => dlq.counts().visible === 1);
  answers.broken = false;

  const redrive = await runCli(["redrive", "--dev", "--queue", "payments", "--yes"], { cwd: dev.cwd });
  await until("evt_broken delivered after the redrive", () =>
    deliveriesOf("evt_broken").some((delivery) => delivery.status === 200),
  );
  const status = await runCli(["status", "--dev", "--provider", "stripe", "--delivery-id", "evt_broken"], {
    cwd: dev.cwd,
  });

  expect(deliveriesOf("evt_broken").map((delivery) => delivery.status)).toEqual([
    500, 500, 500, 500, 500, 200,
  ]);
  expect(redrive).toMatchObject({ code: 0, stderr: "" });
  expect(redrive.stdout).toContain("status: COMPLETED (1 of ≈ 1 moved)");
  expect(dlq.counts()).toEqual({ visible: 0, inFlight: 0 });
  expect(status.stdout).toMatch(/status: +ROUTED/);
  // Real timers: five redeliveries, a redrive and a sixth delivery; a busy machine stretches them.
}, 15_000);
