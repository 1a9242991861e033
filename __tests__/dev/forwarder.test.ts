import { runForwarder } from "../../cli/src/dev/consumers";
import { FaultInjector } from "../../cli/src/dev/faults";
import { LocalQueue } from "../../cli/src/dev/local-queue";
import { DevLog } from "../../cli/src/dev/log";
import { until } from "./support/dev-server";

const VISIBILITY_MS = 20;
const MAX_RECEIVES = 3;

/** The event a route queue holds, as EventBridge puts it there. */
const event = (deliveryId: string) =>
  JSON.stringify({
    version: "0",
    id: `event-${deliveryId}`,
    "detail-type": "payment_intent.succeeded",
    source: "webhooks.stripe",
    detail: { webhookId: `wh_${deliveryId}`, provider: "stripe", deliveryId },
  });

/** A consumer answering with these statuses, in order, then 200. */
const answering =
  (...statuses: number[]) =>
  async () =>
    new Response(null, { status: statuses.shift() ?? 200 });

/** Forwarders of the running test, stopped after it whether it passed or not. */
const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((stop) => stop()));
});

/** A route queue (DLQ after 3 receives, 20 ms visibility) consumed by a forwarder POSTing to `consumer`. */
function forwarding(
  consumer: () => Promise<Response>,
  options: { target?: URL | undefined; faults?: FaultInjector } = {},
) {
  const dlq = new LocalQueue({
    name: "dlq",
    url: "u:dlq",
    arn: "a:dlq",
    visibilityTimeoutMs: 1,
    maxMessageBytes: 1e6,
  });
  const queue = new LocalQueue({
    name: "route",
    url: "u:route",
    arn: "a:route",
    visibilityTimeoutMs: VISIBILITY_MS,
    maxMessageBytes: 1e6,
    redrive: { deadLetterQueue: dlq, maxReceiveCount: MAX_RECEIVES },
  });
  const posts: Array<{ url: string; body: string; headers: Record<string, string> }> = [];
  const fetcher = (async (url: URL, init: RequestInit) => {
    posts.push({ url: url.href, body: String(init.body), headers: init.headers as Record<string, string> });
    return consumer();
  }) as typeof fetch;
  let output = "";
  const stop = new AbortController();
  const forwarder = runForwarder({
    routeId: "payments",
    queue,
    target: "target" in options ? options.target : new URL("http://localhost:3000/hook"),
    maxReceiveCount: MAX_RECEIVES,
    fetch: fetcher,
    faults: options.faults ?? new FaultInjector(new Map()),
    log: new DevLog(
      {
        write: (text) => {
          output += text;
        },
      },
      Date.now,
    ),
    now: Date.now,
    signal: stop.signal,
  });
  const stopForwarder = async () => {
    stop.abort();
    await forwarder;
  };
  running.push(stopForwarder);
  return { queue, dlq, posts, output: () => output, stop: stopForwarder };
}

test("a 2xx answer deletes the event: it is POSTed once, as the route's consumers would read it", async () => {
  const route = forwarding(answering(204));
  route.queue.send(event("evt_1"));
  await until("the POST", () => route.posts.length === 1);
  await until("the delete", () => route.queue.counts().inFlight === 0);
  await new Promise((resolve) => setTimeout(resolve, 3 * VISIBILITY_MS));
  await route.stop();

  expect(route.posts).toEqual([
    {
      url: "http://localhost:3000/hook",
      body: event("evt_1"),
      headers: {
        "content-type": "application/json",
        "x-event-id": "event-evt_1",
        "x-webhook-id": "wh_evt_1",
      },
    },
  ]);
  expect(route.queue.counts()).toEqual({ visible: 0, inFlight: 0 });
});

test.each([
  ["500", [500]],
  ["429", [429]],
  ["a redirect", [302]],
])("an event answered with %s is POSTed again after the visibility timeout", async (_, statuses) => {
  const route = forwarding(answering(...statuses));
  route.queue.send(event("evt_2"));
  await until("the second POST", () => route.posts.length === 2);
  await route.stop();

  expect(route.posts.map((post) => post.body)).toEqual([event("evt_2"), event("evt_2")]);
  expect(route.output()).toMatch(/payments → \d{3} in \d+ ms; receive 1 of 3, again in 0\.0 s/);
});

test("an event refused on every receive goes to the route's DLQ after maxReceiveCount POSTs", async () => {
  const route = forwarding(answering(500, 500, 500, 500));
  route.queue.send(event("evt_3"));
  await until("the DLQ", () => route.dlq.counts().visible === 1);
  await route.stop();

  expect(route.posts).toHaveLength(MAX_RECEIVES);
  expect(route.output()).toContain("receive 3 of 3, dead-lettered when it comes back");
});

test("an unreachable consumer counts as a failure: the event comes back", async () => {
  const route = forwarding(async () => {
    throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
  });
  route.queue.send(event("evt_4"));
  await until("two attempts", () => route.posts.length === 2);
  await route.stop();

  expect(route.output()).toContain("payments → ECONNREFUSED in");
});

test("a route without a target prints each event and deletes it", async () => {
  const route = forwarding(answering(), { target: undefined });
  route.queue.send(event("evt_5"));
  await until("the printed event", () => route.output().includes("payments (not forwarded)"));
  await route.stop();

  expect(route.posts).toEqual([]);
  expect(route.queue.counts()).toEqual({ visible: 0, inFlight: 0 });
  expect(route.output()).toContain(`stripe  evt_5  payments (not forwarded): ${event("evt_5")}`);
});

test("with --fail forward=1 the consumer is never called and the event ends in the DLQ", async () => {
  const route = forwarding(answering(), { faults: new FaultInjector(new Map([["forward", 1]])) });
  route.queue.send(event("evt_6"));
  await until("the DLQ", () => route.dlq.counts().visible === 1);
  await route.stop();

  expect(route.posts).toEqual([]);
  expect(route.output()).toContain("payments → injected by --fail forward=1");
});
