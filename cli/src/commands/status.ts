import {
  type AttributeValue,
  BatchGetItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
} from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import {
  RecordAttribute as A,
  PENDING_SHARDS,
  RecordIndex,
  RecordStatus,
  webhookIdFor,
} from "@webhooks/shared";
import { integerOption, parseCommandLine } from "../args";
import { AWS_HELP, AWS_OPTIONS, resolveAws } from "../aws";
import { type Command, CommandError, ExitCode, UsageError } from "../command";
import { fromStack, loadStack } from "../stack";

const WEBHOOK_ID = /^wh_[0-9a-f]{32}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** BatchGetItem reads at most 100 keys per call. */
const BATCH_GET_MAX_KEYS = 100;

type Item = Record<string, unknown>;

export const statusCommand: Command = {
  name: "status",
  summary: "look up delivery records: by webhook id, by provider and day, or pending",
  help: `Usage: webhooks status <webhookId>
       webhooks status --provider <id> --delivery-id <id>
       webhooks status --provider <id> --day <YYYY-MM-DD> [--limit <n>]
       webhooks status --pending [--day <YYYY-MM-DD>] [--limit <n>]

Reads delivery records from the webhooks table (read-only: never asks).
  <webhookId>            wh_ + 32 hex characters: the table key, one GetItem
  --provider --delivery-id
                         computes the webhook id from (provider, delivery id), then the same GetItem
  --provider --day       lists the provider's deliveries received that UTC day, oldest first
                         (byProviderDay index)
  --pending              lists deliveries not yet ROUTED (RECEIVED or QUEUED) received that UTC
                         day, default today (sparse byPendingDay index, every shard)
  --limit <n>            most records to list (default 50, at most 1000)
  --json                 print JSON (one object, or an array for lists)
Exit 1 when no record matches.

${AWS_HELP}

Examples:
  webhooks status wh_0123456789abcdef0123456789abcdef
  webhooks status --provider stripe --delivery-id evt_1NG8Du2eZvKYlo2CqXqZ5yQ4
  webhooks status --provider github --day 2025-01-31 --limit 20
  webhooks status --pending --json`,

  async run(args, io) {
    const { values, positionals } = parseCommandLine(
      args,
      {
        ...AWS_OPTIONS,
        provider: { type: "string" },
        "delivery-id": { type: "string" },
        day: { type: "string" },
        pending: { type: "boolean" },
        limit: { type: "string" },
        json: { type: "boolean" },
      },
      true,
    );
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    const limit = integerOption(values.limit, "limit", 1, 1000) ?? 50;
    if (values.day !== undefined) checkDay(values.day);
    const mode = chooseMode(positionals[0], values, utcDay(io.now()));

    const stack = loadStack(values["stack-dir"], io);
    const tableName = fromStack(stack.tableName, "DynamoDB table", stack);
    const aws = resolveAws(values, stack, io.env);
    if (aws.warning) io.stderr.write(`${aws.warning}\n`);
    const client = io.aws.dynamoDb(aws.config);

    if (mode.kind === "one") {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { [A.webhookId]: { S: mode.webhookId } },
          ConsistentRead: true,
        }),
      );
      if (!Item) {
        io.stderr.write(
          `no record for ${mode.webhookId}${mode.what} in ${tableName}: never accepted, or expired (records live for the dedupe TTL)\n`,
        );
        return ExitCode.failed;
      }
      const record = unmarshall(Item);
      io.stdout.write(
        values.json ? `${JSON.stringify(record, null, 2)}\n` : describeRecord(record, io.now()),
      );
      return ExitCode.ok;
    }

    const keys =
      mode.kind === "provider"
        ? await queryIndex(
            client,
            tableName,
            RecordIndex.byProviderDay.name,
            RecordIndex.byProviderDay.partitionKey,
            [`${mode.provider}#${mode.day}`],
            limit,
          )
        : await queryIndex(
            client,
            tableName,
            RecordIndex.byPendingDay.name,
            RecordIndex.byPendingDay.partitionKey,
            Array.from({ length: PENDING_SHARDS }, (_, shard) => `${mode.day}#${shard.toString(16)}`),
            limit,
          );
    const records = await getRecords(client, tableName, keys);
    const what =
      mode.kind === "provider"
        ? `${mode.provider} deliveries on ${mode.day}`
        : `pending deliveries on ${mode.day}`;
    if (values.json) {
      io.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
    } else if (records.length > 0) {
      io.stdout.write(
        `${records.length} ${what}${records.length === limit ? ` (first ${limit}; raise --limit for more)` : ""}:\n`,
      );
      io.stdout.write(recordTable(records));
    }
    if (records.length === 0) {
      io.stderr.write(`no ${what} in ${tableName}\n`);
      return ExitCode.failed;
    }
    return ExitCode.ok;
  },
};

type Mode =
  | { readonly kind: "one"; readonly webhookId: string; readonly what: string }
  | { readonly kind: "provider"; readonly provider: string; readonly day: string }
  | { readonly kind: "pending"; readonly day: string };

function chooseMode(
  webhookId: string | undefined,
  values: {
    provider?: string | undefined;
    "delivery-id"?: string | undefined;
    day?: string | undefined;
    pending?: boolean | undefined;
  },
  today: string,
): Mode {
  const ways = [
    webhookId !== undefined,
    values["delivery-id"] !== undefined,
    values.provider !== undefined && values["delivery-id"] === undefined,
    values.pending === true,
  ].filter(Boolean).length;
  if (ways !== 1) {
    throw new UsageError(
      ways === 0
        ? "give a <webhookId>, --provider with --delivery-id or --day, or --pending"
        : "give one of <webhookId>, --provider with --delivery-id or --day, or --pending",
    );
  }
  if (webhookId !== undefined) {
    if (!WEBHOOK_ID.test(webhookId))
      throw new UsageError(`'${webhookId}' is not a webhook id (wh_ + 32 lowercase hex)`);
    if (values.day !== undefined)
      throw new UsageError("--day lists records: it does not go with a <webhookId>");
    return { kind: "one", webhookId, what: "" };
  }
  if (values["delivery-id"] !== undefined) {
    if (values.provider === undefined) throw new UsageError("--delivery-id needs --provider");
    if (values.day !== undefined)
      throw new UsageError("--day lists records: it does not go with --delivery-id");
    return {
      kind: "one",
      webhookId: webhookIdFor(values.provider, values["delivery-id"]),
      what: ` (provider ${values.provider}, delivery id ${values["delivery-id"]})`,
    };
  }
  if (values.pending) {
    return { kind: "pending", day: values.day ?? today };
  }
  if (values.day === undefined) throw new UsageError("--provider needs --delivery-id or --day");
  return { kind: "provider", provider: values.provider!, day: values.day };
}

function checkDay(day: string): void {
  const date = new Date(`${day}T00:00:00Z`);
  if (!DAY.test(day) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day) {
    throw new UsageError(`--day must be a UTC date YYYY-MM-DD, got '${day}'`);
  }
}

/** Keys from a KEYS_ONLY index, oldest first across partitions, at most `limit`. */
async function queryIndex(
  client: DynamoDBClient,
  tableName: string,
  indexName: string,
  partitionKey: string,
  partitions: readonly string[],
  limit: number,
): Promise<Array<{ webhookId: string; receivedAt: string }>> {
  const keys: Array<{ webhookId: string; receivedAt: string }> = [];
  for (const partition of partitions) {
    let start: Record<string, AttributeValue> | undefined;
    let taken = 0;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: indexName,
          KeyConditionExpression: "#pk = :pk",
          ExpressionAttributeNames: { "#pk": partitionKey },
          ExpressionAttributeValues: { ":pk": { S: partition } },
          Limit: limit - taken,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        keys.push({ webhookId: item[A.webhookId]!.S!, receivedAt: item[A.receivedAt]?.S ?? "" });
        taken++;
      }
      start = page.LastEvaluatedKey;
    } while (start && taken < limit);
  }
  keys.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  return keys.slice(0, limit);
}

/** Full records for index keys (the indexes are KEYS_ONLY), in the keys' order. */
async function getRecords(
  client: DynamoDBClient,
  tableName: string,
  keys: ReadonlyArray<{ webhookId: string }>,
): Promise<Item[]> {
  const byId = new Map<string, Item>();
  for (let start = 0; start < keys.length; start += BATCH_GET_MAX_KEYS) {
    let pending: Array<Record<string, AttributeValue>> = keys
      .slice(start, start + BATCH_GET_MAX_KEYS)
      .map((key) => ({ [A.webhookId]: { S: key.webhookId } }));
    for (let round = 0; pending.length > 0; round++) {
      if (round === 5)
        throw new CommandError(`BatchGetItem left ${pending.length} keys unprocessed (throttled)`);
      const output = await client.send(
        new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: pending } } }),
      );
      for (const item of output.Responses?.[tableName] ?? []) {
        const record = unmarshall(item);
        byId.set(String(record[A.webhookId]), record);
      }
      pending = (output.UnprocessedKeys?.[tableName]?.Keys ?? []) as Array<Record<string, AttributeValue>>;
    }
  }
  // A record can expire or be deleted between the index read and the get.
  return keys.map((key) => byId.get(key.webhookId)).filter((record): record is Item => record !== undefined);
}

function iso(ms: unknown): string {
  return typeof ms === "number" ? new Date(ms).toISOString() : String(ms);
}

/** One record as `field: value` lines, epoch attributes also as ISO times. */
export function describeRecord(record: Item, nowMs: number): string {
  const lines: Array<[string, string]> = [
    ["webhook id", String(record[A.webhookId])],
    ["provider", String(record[A.provider])],
    ["delivery id", String(record[A.deliveryId])],
    ["event type", String(record[A.eventType])],
    ["status", `${record[A.status]}${statusNote(record, nowMs)}`],
    ["received at", String(record[A.receivedAt])],
    ["updated at", iso(record[A.updatedAt])],
  ];
  if (record[A.leaseUntil] !== undefined) lines.push(["lease until", iso(record[A.leaseUntil])]);
  const expiresAt = record[A.expiresAt];
  if (typeof expiresAt === "number") {
    const expired = expiresAt * 1000 < nowMs ? " (expired: TTL deletes it lazily)" : "";
    lines.push(["expires at", `${iso(expiresAt * 1000)}${expired}`]);
  }
  const known = new Set<string>(Object.values(A));
  for (const [name, value] of Object.entries(record)) {
    if (!known.has(name)) lines.push([name, typeof value === "string" ? value : JSON.stringify(value)]);
  }
  const width = Math.max(...lines.map(([name]) => name.length));
  return lines.map(([name, value]) => `${`${name}:`.padEnd(width + 2)}${value}\n`).join("");
}

function statusNote(record: Item, nowMs: number): string {
  switch (record[A.status]) {
    case RecordStatus.Received: {
      const leaseUntil = record[A.leaseUntil];
      return typeof leaseUntil === "number" && leaseUntil < nowMs
        ? " (claim lapsed before it was queued: the sender's retry takes it over)"
        : " (claimed; being enqueued)";
    }
    case RecordStatus.Queued:
      return " (in the ingest queue or its DLQ; not yet on the bus)";
    case RecordStatus.Routed:
      return " (put on the event bus)";
    default:
      return "";
  }
}

function recordTable(records: readonly Item[]): string {
  const columns = [A.receivedAt, A.status, A.webhookId, A.provider, A.deliveryId, A.eventType] as const;
  const rows = records.map((record) => columns.map((column) => String(record[column] ?? "")));
  const header = ["RECEIVED AT", "STATUS", "WEBHOOK ID", "PROVIDER", "DELIVERY ID", "EVENT TYPE"];
  const widths = header.map((title, index) =>
    Math.max(title.length, ...rows.map((row) => row[index]!.length)),
  );
  return [header, ...rows]
    .map((row) =>
      row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index]!))).join("  "),
    )
    .join("\n")
    .concat("\n");
}

/** Today's UTC date, the default day of `--pending`. */
export function utcDay(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10);
}
