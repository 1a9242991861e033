import { createHash } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { RecordAttribute, RecordStatus } from "@webhooks/shared";
import type { Sample, Webhook } from "./senders";
import { is2xx, type World } from "./world";

export interface Expectations {
  /**
   * Webhooks a persistent router-side fault legitimately parks in the DLQ (acknowledged, not on
   * the bus, not lost: an operator redrives them). @default none
   */
  readonly dlq?: readonly Sample[];
  /**
   * Webhooks the validator refuses by design with a 4xx on every attempt (a limit, a delivery id
   * reused for another body): never acknowledged, never stored, queued or put as themselves.
   * @default none
   */
  readonly refused?: readonly Webhook[];
}

/**
 * The guarantees, checked after every scenario. Returns one readable line per violation (an empty
 * list when all hold):
 *
 * 1. every webhook that got a 2xx is on the bus at least once (or, where the scenario expects it,
 *    parked in the DLQ), and nothing is left in flight. Only events put by the delivery's own
 *    messages count: SQS's extra copy must not hide a message the router dropped;
 * 2. no delivery is on the bus twice unless its ROUTED mark failed;
 * 3. every delivery the sender saw fail and then retried is, after the retry, acknowledged and on
 *    the bus;
 * 4. nothing unverified is stored (table, bucket), queued or routed, and nothing is put on the bus
 *    that no sender sent;
 * 5. what is on the bus is what was sent: provider, delivery id, type and the payload itself,
 *    inline or behind a claim check whose digest matches;
 * 6. the table agrees: a routed delivery's record is ROUTED unless its ROUTED mark failed;
 * 7. a webhook refused by design got a 4xx every time and left no trace of its own.
 */
export async function invariantViolations(world: World, expected: Expectations = {}): Promise<string[]> {
  const violations = world.violations().map((line) => `AWS would refuse: ${line}`);
  const authentic = world.senders.filter((log) => !log.webhook.forged);
  const forged = world.senders.filter((log) => log.webhook.forged);
  const name = (webhookId: string) => {
    const log = world.senders.find((entry) => entry.webhook.webhookId === webhookId);
    return log
      ? `${log.webhook.sample}${log.webhook.forged ? " (forged)" : ""} ${log.webhook.deliveryId}`
      : webhookId;
  };
  /** Every event per webhook, and the events its own messages put (not SQS's extra copies). */
  const onBus = new Map<string, number>();
  const routedByOwn = new Map<string, number>();
  for (const event of world.bus) {
    const id = String(event.detail.webhookId);
    onBus.set(id, (onBus.get(id) ?? 0) + 1);
    if (!event.fromCopy) routedByOwn.set(id, (routedByOwn.get(id) ?? 0) + 1);
  }
  const inDlq = new Set(world.queue.dlq.map((message) => message.webhookId));
  const expectedDlq = new Set(
    authentic.filter((log) => expected.dlq?.includes(log.webhook.sample)).map((log) => log.webhook.webhookId),
  );
  const routedMarkFailed = world.plan.subjects("routedMark");

  // 1. Acknowledged ⇒ on the bus (or parked in the DLQ where the scenario says so).
  if (world.queue.depth > 0) violations.push(`${world.queue.depth} messages still in the queue`);
  for (const { webhook, answers } of authentic) {
    if (!answers.some(is2xx)) continue;
    const id = webhook.webhookId;
    if ((routedByOwn.get(id) ?? 0) > 0) {
      if (expectedDlq.has(id)) violations.push(`${name(id)} was expected in the DLQ but is on the bus`);
    } else if (!inDlq.has(id)) {
      const rescued = (onBus.get(id) ?? 0) > 0 ? " (only SQS's extra copy put it)" : "";
      violations.push(
        `${name(id)} got ${answers.at(-1)} but is neither on the bus nor in the DLQ: lost${rescued}`,
      );
    } else if (!expectedDlq.has(id)) {
      violations.push(
        `${name(id)} got ${answers.at(-1)} but ended in the DLQ, which the scenario does not expect`,
      );
    }
  }
  for (const id of expectedDlq) if (!inDlq.has(id)) violations.push(`${name(id)} was expected in the DLQ`);

  // 2. At most once on the bus, unless the ROUTED mark failed.
  for (const [id, count] of onBus) {
    if (count > 1 && !routedMarkFailed.has(id))
      violations.push(`${name(id)} is on the bus ${count} times and its ROUTED mark never failed`);
  }

  // 3. A sender's failure is recovered by its retry.
  const refused = new Set(expected.refused ?? []);
  for (const { webhook, answers } of authentic) {
    if (is2xx(answers[0]!) || refused.has(webhook)) continue;
    const id = webhook.webhookId;
    if (answers.length === 1) violations.push(`${name(id)} failed (${answers[0]}) and was never retried`);
    else if (!is2xx(answers.at(-1)!))
      violations.push(`${name(id)} answered ${answers.join(", ")}: the retries never succeeded`);
    else if ((routedByOwn.get(id) ?? 0) === 0 && !expectedDlq.has(id))
      violations.push(`${name(id)} answered ${answers.join(", ")} but is not on the bus after its retry`);
  }

  // 4. Fail closed: nothing unverified leaves a trace; nothing appears that no sender sent.
  const authenticIds = new Set(authentic.map((log) => log.webhook.webhookId));
  for (const { webhook, answers } of forged) {
    const id = webhook.webhookId;
    if (answers.some(is2xx)) violations.push(`${name(id)} was answered ${answers.join(", ")}`);
    if (answers.some((status) => status !== 401 && status !== 503))
      violations.push(`${name(id)} was answered ${answers.join(", ")}, not 401`);
    if (await record(world, id)) violations.push(`${name(id)} has a record in the table`);
    if (world.queue.accepted.some((message) => message.webhookId === id))
      violations.push(`${name(id)} was queued`);
    if ([...world.bucket.keys()].some((key) => key.includes(id)))
      violations.push(`${name(id)} was stored in S3`);
    if (onBus.has(id)) violations.push(`${name(id)} is on the bus`);
  }
  for (const message of world.queue.accepted) {
    if (!authenticIds.has(message.webhookId))
      violations.push(`queued message ${message.messageId} is for no authentic webhook`);
  }
  for (const id of onBus.keys()) {
    if (!authenticIds.has(id)) violations.push(`bus event for ${id}, which no authentic sender sent`);
  }

  // 5. The bus carries what was sent.
  for (const event of world.bus) {
    const log = authentic.find((entry) => entry.webhook.webhookId === event.detail.webhookId);
    if (!log) continue;
    const { webhook } = log;
    const problems: string[] = [];
    if (event.source !== `webhooks.${webhook.provider}`) problems.push(`Source ${event.source}`);
    if (event.detailType !== webhook.eventType) problems.push(`DetailType ${event.detailType}`);
    if (event.detail.provider !== webhook.provider)
      problems.push(`provider ${String(event.detail.provider)}`);
    if (event.detail.deliveryId !== webhook.deliveryId)
      problems.push(`deliveryId ${String(event.detail.deliveryId)}`);
    if (event.detail.eventType !== webhook.eventType)
      problems.push(`eventType ${String(event.detail.eventType)}`);
    if (!isDeepStrictEqual(payloadOf(world, event.detail), JSON.parse(webhook.body)))
      problems.push("payload differs from the body sent");
    if (problems.length > 0)
      violations.push(`bus event ${event.eventId} for ${name(webhook.webhookId)}: ${problems.join("; ")}`);
  }

  // 6. The table agrees with the bus.
  for (const id of onBus.keys()) {
    if (!authenticIds.has(id) || routedMarkFailed.has(id)) continue;
    const status = (await record(world, id))?.[RecordAttribute.status];
    if (status !== RecordStatus.Routed)
      violations.push(`${name(id)} is on the bus but its record is ${String(status)}`);
  }
  // 7. Refused by design: a 4xx every time; under its own webhook id (when no accepted webhook
  // shares it) nothing stored, queued or routed. One that shares it is covered by 5: the bus
  // carries the accepted body.
  for (const { webhook, answers } of authentic.filter((log) => refused.has(log.webhook))) {
    const id = webhook.webhookId;
    if (answers.some((status) => status < 400 || status >= 500))
      violations.push(`${name(id)} was to be refused (4xx) but was answered ${answers.join(", ")}`);
    const shared = authentic.some(
      (log) => log.webhook !== webhook && log.webhook.webhookId === id && log.answers.some(is2xx),
    );
    if (shared) continue;
    if (await record(world, id)) violations.push(`refused ${name(id)} has a record in the table`);
    if (world.queue.accepted.some((message) => message.webhookId === id))
      violations.push(`refused ${name(id)} was queued`);
    if (onBus.has(id)) violations.push(`refused ${name(id)} is on the bus`);
  }
  return violations;
}

/** The payload a consumer would read from an event: inline, or fetched and checked by its reference. */
function payloadOf(world: World, detail: Record<string, unknown>): unknown {
  if ("data" in detail) return detail.data;
  const ref = detail.payloadRef as { key: string; sha256: string; size: number } | undefined;
  const object = ref && world.bucket.get(ref.key);
  if (!ref || !object) return undefined;
  if (
    object.body.byteLength !== ref.size ||
    createHash("sha256").update(object.body).digest("hex") !== ref.sha256
  )
    return undefined;
  return JSON.parse(Buffer.from(object.body).toString("utf8"));
}

/** The delivery record, read strongly consistent past the fault injection (the harness's own client). */
export async function record(world: World, webhookId: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await world.table.client.send(
    new GetItemCommand({
      TableName: world.table.tableName,
      Key: { [RecordAttribute.webhookId]: { S: webhookId } },
      ConsistentRead: true,
    }),
  );
  return Item && unmarshall(Item);
}
