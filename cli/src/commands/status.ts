import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { RecordAttribute as A, RecordStatus, webhookIdFor } from "@webhooks/shared";
import { integerOption, parseCommandLine } from "../args";
import { AWS_HELP, AWS_OPTIONS, resolveAws } from "../aws";
import { type Command, ExitCode, type Io, UsageError } from "../command";
import { archiveDayPrefix, listArchivedDeliveries, nextDay } from "../records/archive-listing";
import { scanPending } from "../records/pending-scan";
import { DEV_HELP, DEV_OPTIONS, fromStack, loadStack, providerOf, type StackModel } from "../stack";

const WEBHOOK_ID = /^wh_[0-9a-f]{32}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

type Item = Record<string, unknown>;

export const statusCommand: Command = {
  name: "status",
  summary: "look up deliveries: by webhook id, by provider and day (archive), or pending (scan)",
  help: `Usage: webhooks status <webhookId>
       webhooks status --provider <id> --delivery-id <id>
       webhooks status --provider <id> --day <YYYY-MM-DD> [--limit <n>]
       webhooks status --pending [--days <n> | --day <YYYY-MM-DD>] [--limit <n>] [--fail-if-any]

Reads delivery records (read-only: never asks). The table has no index (a webhook's three writes
cost one write unit each), so the two listings read elsewhere and cost more: run them when needed.
  <webhookId>            wh_ + 32 hex characters: the table key, one GetItem
  --provider --delivery-id
                         computes the webhook id from (provider, delivery id), then the same GetItem;
                         the provider must be one of the stack's
  --provider --day       lists the provider's deliveries received that UTC day that reached the bus,
                         oldest first, from the Firehose archive in S3 (<archive>/yyyy/MM/dd/, that
                         day's objects and the next day's); exit 1 when there are none. Reads every
                         object of both days: at 50 webhooks/s about 2,200 GETs and 2-3 GB of
                         GZIP ($0.09/GB downloaded outside AWS). Not yet routed: --pending --day
  --pending              lists deliveries not yet ROUTED (RECEIVED or QUEUED), oldest first, received
                         in the last --days UTC days up to today (default: every day the dedupe TTL
                         reaches back to, as long as records live), or on one --day: a filtered Scan
                         of the whole table, half a read unit per 4 KB (at 50 webhooks/s and a 7-day
                         TTL ~30 million records, ~0.6 million read units, ≈ $0.08 and minutes).
                         Nothing pending is a healthy answer: exit 0
  --fail-if-any          with --pending: exit 1 when anything is pending (for scripts and alarms)
  --limit <n>            most records to list (default 50, at most 1000)
  --json                 print JSON (one object, or an array for lists)
Exit 1 when no record matches a lookup.

${AWS_HELP}
${DEV_HELP}

Examples:
  webhooks status wh_0123456789abcdef0123456789abcdef
  webhooks status --provider stripe --delivery-id evt_1NG8Du2eZvKYlo2CqXqZ5yQ4
  webhooks status --provider github --day 2025-01-31 --limit 20
  webhooks status --pending --days 2 --json
  webhooks status --pending --stack webhooks-prod --fail-if-any`,

  async run(args, io) {
    const { values, positionals } = parseCommandLine(
      args,
      {
        ...AWS_OPTIONS,
        ...DEV_OPTIONS,
        provider: { type: "string" },
        "delivery-id": { type: "string" },
        day: { type: "string" },
        days: { type: "string" },
        pending: { type: "boolean" },
        "fail-if-any": { type: "boolean" },
        limit: { type: "string" },
        json: { type: "boolean" },
      },
      true,
    );
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    const limit = integerOption(values.limit, "limit", 1, 1000) ?? 50;
    const days = integerOption(values.days, "days", 1, MAX_PENDING_DAYS);
    if (values.day !== undefined) checkDay(values.day);
    const mode = chooseMode(positionals[0], values);

    const stack = loadStack(values, io);
    const tableName = fromStack(stack.tableName, "DynamoDB table", stack);
    if (values.provider !== undefined) providerOf(stack, values.provider);
    const aws = resolveAws(values, stack, io.env, `table ${tableName}`);
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

    if (mode.kind === "provider") {
      const archive = fromStack(stack.payloadArchive, "payload archive (Firehose stream to S3)", stack);
      const { deliveries, objectsRead } = await listArchivedDeliveries(
        io.aws.s3(aws.config),
        archive,
        mode.provider,
        mode.day,
        limit,
      );
      const where = `s3://${archive.bucket}/${archiveDayPrefix(archive, mode.day)} and ${nextDay(mode.day)}'s objects, ${objectsRead} read`;
      const what = `${mode.provider} deliveries received on ${mode.day} that reached the bus`;
      if (deliveries.length === 0) {
        if (values.json) io.stdout.write("[]\n");
        io.stderr.write(
          `no ${what} (${where}); not yet routed: webhooks status --pending --day ${mode.day}\n`,
        );
        return ExitCode.failed;
      }
      listRecords(deliveries, `${what} (${where})`, limit, values.json, io);
      return ExitCode.ok;
    }

    const now = io.now();
    const window = mode.day !== undefined ? 1 : (days ?? ttlWindowDays(stack, now));
    const fromDay = mode.day ?? windowStart(utcDay(now), window);
    const { records } = await scanPending(client, tableName, {
      fromDay,
      ...(mode.day !== undefined && { onlyDay: mode.day }),
      nowSeconds: Math.floor(now / 1000),
      limit,
    });
    const what =
      mode.day !== undefined
        ? `pending deliveries on ${mode.day}`
        : `pending deliveries in the last ${window} days (${fromDay} … ${utcDay(now)})`;
    if (records.length === 0) {
      io.stdout.write(values.json ? "[]\n" : `no ${what} in ${tableName}\n`);
      return ExitCode.ok;
    }
    listRecords(records, what, limit, values.json, io);
    return values["fail-if-any"] ? ExitCode.failed : ExitCode.ok;
  },
};

/** At most a year of days to scan for pending deliveries (records live for the dedupe TTL). */
const MAX_PENDING_DAYS = 366;

/**
 * How many UTC days a record can still be alive on: from the day of now − the dedupe TTL through
 * today. A 7-day TTL at noon reaches back to noon 7 days ago: 8 days, one more than the TTL's
 * days rounded up, or a record received that afternoon would be missed.
 */
function ttlWindowDays(stack: StackModel, nowMs: number): number {
  const seconds = fromStack(stack.dedupeTtlSeconds, "validator DEDUPE_TTL_SECONDS", stack);
  const first = Date.parse(utcDay(nowMs - seconds * 1000));
  return (Date.parse(utcDay(nowMs)) - first) / 86_400_000 + 1;
}

/**
 * The first UTC day of a window of `days` days ending with `lastDay`.
 *
 * @example windowStart("2025-01-31", 2) // "2025-01-30"
 */
export function windowStart(lastDay: string, days: number): string {
  return utcDay(Date.parse(`${lastDay}T00:00:00Z`) - (days - 1) * 86_400_000);
}

function listRecords(
  records: ReadonlyArray<object>,
  what: string,
  limit: number,
  json: boolean | undefined,
  io: Io,
): void {
  if (json) {
    io.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
    return;
  }
  const capped = records.length === limit ? ` (first ${limit}; raise --limit for more)` : "";
  io.stdout.write(`${records.length} ${what}${capped}:\n${recordTable(records)}`);
}

type Mode =
  | { readonly kind: "one"; readonly webhookId: string; readonly what: string }
  | { readonly kind: "provider"; readonly provider: string; readonly day: string }
  | { readonly kind: "pending"; readonly day: string | undefined };

function chooseMode(
  webhookId: string | undefined,
  values: {
    provider?: string | undefined;
    "delivery-id"?: string | undefined;
    day?: string | undefined;
    days?: string | undefined;
    pending?: boolean | undefined;
    "fail-if-any"?: boolean | undefined;
  },
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
  if (!values.pending) {
    for (const option of ["days", "fail-if-any"] as const) {
      if (values[option] !== undefined) throw new UsageError(`--${option} goes with --pending only`);
    }
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
    if (values.day !== undefined && values.days !== undefined) {
      throw new UsageError("--day and --days are exclusive: scan one day or a window of days");
    }
    return { kind: "pending", day: values.day };
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

function recordTable(records: ReadonlyArray<object>): string {
  const columns = [A.receivedAt, A.status, A.webhookId, A.provider, A.deliveryId, A.eventType] as const;
  const rows = records.map((record) =>
    columns.map((column) => String((record as Record<string, unknown>)[column] ?? "")),
  );
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

/** The UTC date of an instant: today's is the last day `--pending` scans. */
export function utcDay(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10);
}
