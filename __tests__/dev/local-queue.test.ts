import { createHash } from "node:crypto";
import { LocalQueue, type ReceivedMessage } from "../../cli/src/dev/local-queue";

/** A queue and its DLQ on a clock the test moves; visibility 30 s, DLQ after 3 receives. */
function queues(maxReceiveCount = 3) {
  const clock = { ms: 1_000_000, now: () => clock.ms };
  const settings = (name: string) => ({
    name,
    url: `http://local/000000000000/${name}`,
    arn: `arn:aws:sqs:us-east-1:000000000000:${name}`,
    visibilityTimeoutMs: 30_000,
    maxMessageBytes: 1024,
    clock,
  });
  const dlq = new LocalQueue(settings("dlq"));
  const queue = new LocalQueue({ ...settings("source"), redrive: { deadLetterQueue: dlq, maxReceiveCount } });
  return { clock, queue, dlq };
}

test("a received message is hidden until its visibility timeout ends", () => {
  const { clock, queue } = queues();
  queue.send("a");
  queue.receiveNow(10);

  clock.ms += 29_999;
  expect(queue.receiveNow(10)).toEqual([]);
  clock.ms += 1;
  expect(queue.receiveNow(10).map((message) => message.body)).toEqual(["a"]);
});

test("a message not deleted is delivered again with its receive count raised and a new receipt handle", () => {
  const { clock, queue } = queues();
  queue.send("a", { webhookId: "wh_1" });
  const [first] = queue.receiveNow(1);
  clock.ms += 30_000;
  const [second] = queue.receiveNow(1);

  expect(second).toMatchObject({
    messageId: first!.messageId,
    receiveCount: 2,
    attributes: { webhookId: "wh_1" },
  });
  expect(first).toMatchObject({ receiveCount: 1 });
  expect(second!.receiptHandle).not.toBe(first!.receiptHandle);
});

test("a deleted message is gone; a receipt handle of an earlier receive deletes nothing", () => {
  const { clock, queue } = queues();
  queue.send("a");
  const [first] = queue.receiveNow(1);
  clock.ms += 30_000;
  const [second] = queue.receiveNow(1);

  expect(queue.delete(first!.receiptHandle)).toBe(false);
  expect(queue.delete(second!.receiptHandle)).toBe(true);
  clock.ms += 30_000;
  expect(queue.receiveNow(10)).toEqual([]);
});

test("a message received maxReceiveCount times moves to the dead-letter queue the next time it would be received", () => {
  const { clock, queue, dlq } = queues(3);
  const deadLettered: ReceivedMessage[] = [];
  queue.onDeadLetter = (message) => deadLettered.push(message);
  queue.send("a");
  const receives = [];
  for (let round = 0; round < 4; round++) {
    receives.push(queue.receiveNow(1).length);
    clock.ms += 30_000;
  }

  expect(receives).toEqual([1, 1, 1, 0]);
  expect(deadLettered.map((message) => [message.body, message.receiveCount])).toEqual([["a", 3]]);
  expect(dlq.receiveNow(10).map((message) => [message.body, message.receiveCount])).toEqual([["a", 1]]);
  expect(queue.counts()).toEqual({ visible: 0, inFlight: 0 });
});

test("a move task returns a dead-letter queue's messages to their source queue as new messages", () => {
  const { clock, queue, dlq } = queues(1);
  queue.send("a", { provider: "stripe" });
  queue.receiveNow(1);
  clock.ms += 30_000;
  queue.receiveNow(1);

  const task = dlq.startMoveTask();

  expect(task).toMatchObject({ status: "COMPLETED", moved: 1, toMove: 1, sourceArn: dlq.settings.arn });
  expect(dlq.moveTasks()).toEqual([task]);
  expect(dlq.counts()).toEqual({ visible: 0, inFlight: 0 });
  expect(queue.receiveNow(1)).toEqual([
    expect.objectContaining({ body: "a", receiveCount: 1, attributes: { provider: "stripe" } }),
  ]);
});

test("a move task from a queue whose messages were not dead-lettered needs a destination", () => {
  const { queue } = queues();
  queue.send("a");

  expect(() => queue.startMoveTask()).toThrow(
    "holds messages that were not dead-lettered: name a destination",
  );
});

test("counts tell waiting messages from messages in flight", () => {
  const { queue } = queues();
  queue.send("a");
  queue.send("b");
  queue.receiveNow(1);

  expect(queue.counts()).toEqual({ visible: 1, inFlight: 1 });
});

test("a body over the queue's size limit is refused like SQS refuses it", () => {
  const { queue } = queues();

  expect(() => queue.send("x".repeat(1025))).toThrow("over queue source's limit of 1024");
});

test("a sent message carries the MD5 of its body, as SendMessage and ReceiveMessage report it", () => {
  const { queue } = queues();
  const sent = queue.send("héllo");

  expect(sent.md5OfBody).toBe(createHash("md5").update("héllo").digest("hex"));
  expect(queue.receiveNow(1)[0]!.md5OfBody).toBe(sent.md5OfBody);
});

test("a long poll returns as soon as a message is sent", async () => {
  const queue = new LocalQueue({
    name: "q",
    url: "http://local/q",
    arn: "arn:aws:sqs:us-east-1:000000000000:q",
    visibilityTimeoutMs: 30_000,
    maxMessageBytes: 1024,
  });
  const started = Date.now();
  const polled = queue.receive({ max: 1, waitMs: 10_000 });
  setTimeout(() => queue.send("late"), 20);

  expect((await polled).map((message) => message.body)).toEqual(["late"]);
  expect(Date.now() - started).toBeLessThan(5_000);
});

test("a long poll ends empty when its signal is aborted", async () => {
  const { queue } = queues();
  const stop = new AbortController();
  const polled = queue.receive({ max: 1, waitMs: 60_000, signal: stop.signal });
  stop.abort();

  expect(await polled).toEqual([]);
});

test("a receive waiting for a message wakes when it becomes visible, however the clock moves between readings", async () => {
  // A clock that moves 1 ms per reading, as a busy machine's does between two statements: the
  // message becomes visible between the receive's look at the queue and its choice of how long to
  // sleep, which must then not be the whole wait.
  const clock = { ms: 0, now: () => clock.ms++ };
  const queue = new LocalQueue({
    name: "q",
    url: "http://local/000000000000/q",
    arn: "arn:aws:sqs:us-east-1:000000000000:q",
    visibilityTimeoutMs: 3,
    maxMessageBytes: 1024,
    clock,
  });
  queue.send("a");
  queue.receiveNow(1);
  const stop = new AbortController();

  const received = await Promise.race([
    queue.receive({ max: 1, waitMs: 60_000, signal: stop.signal }),
    new Promise<"still asleep">((resolve) => setTimeout(() => resolve("still asleep"), 1_000)),
  ]);
  stop.abort();

  expect(received).toMatchObject([{ body: "a", receiveCount: 2 }]);
});
