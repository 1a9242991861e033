import { createHash } from "node:crypto";
import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput } from "@aws-sdk/client-eventbridge";
import { GetObjectCommand, PutObjectCommand, type PutObjectCommandInput, S3Client } from "@aws-sdk/client-s3";
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  type PutSecretValueCommandInput,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { SendMessageCommand, type SendMessageCommandInput, SQSClient } from "@aws-sdk/client-sqs";
import { FunctionEnv, schemeFor, storesHandshakeSecret } from "@webhooks/shared";
import type { APIGatewayProxyResult } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { s3BlobStore } from "../../../functions/router/adapters/blobs";
import { eventBridgeBus } from "../../../functions/router/adapters/bus";
import { dynamoRecordStore } from "../../../functions/router/adapters/records";
import { routerConfigFromEnv } from "../../../functions/router/config";
import { createRouterHandler } from "../../../functions/router/handler";
import type { Clock, Counters, Log } from "../../../functions/router/ports";
import { createDynamoDbStore } from "../../../functions/validator/adapters/dynamodb-store";
import { createS3Blobs } from "../../../functions/validator/adapters/s3-blobs";
import { createSecretsManagerSource } from "../../../functions/validator/adapters/secrets-manager";
import { createSecretsManagerHandshakeStore } from "../../../functions/validator/adapters/secrets-manager-handshakes";
import { createSqsQueue } from "../../../functions/validator/adapters/sqs-queue";
import { loadConfig } from "../../../functions/validator/config";
import { createValidatorHandler } from "../../../functions/validator/handler";
import type { LoggerPort, MetricsPort, Outcome } from "../../../functions/validator/ports";
import type { ValidatorEvent } from "../../../functions/validator/request";
import type { LocalTable } from "../../support/dynalite";
import { type Fault, FaultPlan, faultyDynamoClient, injectedError } from "./faults";
import { PROVIDERS, SIGNING_SECRETS, signedRequest, type Webhook } from "./senders";
import { QUEUE_URL, SqsSimulation } from "./sqs";

/** 2026-11-23T12:00:00.000Z, when every scenario starts. */
export const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
export const EVENT_BUS_NAME = "wh-e2e-bus";
export const PAYLOAD_BUCKET = "wh-e2e-payloads";
/**
 * The ingest queue's `max_message_size` in this world. Small on purpose: the GitHub push (~28 KB)
 * does not fit, so the validator claim-checks it to S3 (the serialized envelope over the queue
 * limit), while the other webhooks travel inline.
 */
export const QUEUE_MAX_MESSAGE_BYTES = 8_192;
/** A sender tries this many times, then gives up (and would try again hours later). */
export const SENDER_MAX_ATTEMPTS = 5;
/** Waits before retry 1, 2, 3, 4 (short first, then backing off, like Slack's and Stripe's). */
export const SENDER_RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000] as const;
/** What the validator's Lambda context reports (its timeout is 10 s); also the claim's lease. */
export const VALIDATOR_REMAINING_MS = 9_000;
/** The router's 30 s timeout: a generous budget, the fake clock moves only on backoff sleeps. */
export const ROUTER_REMAINING_MS = 30_000;

/** One clock for the whole world; sleeps return at once and move it forward. */
export class VirtualClock implements Clock {
  constructor(private current: number) {}
  now = (): number => this.current;
  sleep = async (ms: number): Promise<void> => {
    this.current += ms;
  };
  advance(ms: number): void {
    this.current += ms;
  }
  set(ms: number): void {
    this.current = Math.max(this.current, ms);
  }
}

/** One event as it sits on the bus. */
export interface BusEvent {
  readonly eventId: string;
  readonly source: string;
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
  readonly time: Date | undefined;
  /** Put while SQS delivered its extra copies: such an event must not count as a delivery's own. */
  readonly fromCopy: boolean;
}

export interface StoredObject {
  readonly body: Uint8Array;
  readonly contentType: string | undefined;
}

/** What one sender saw: the status of each attempt. */
export interface SenderLog {
  readonly webhook: Webhook;
  readonly answers: number[];
}

/** What a sender of some other request (a handshake) saw: each attempt's answer. */
export interface RequestLog {
  readonly answers: number[];
  readonly responses: APIGatewayProxyResult[];
}

export const is2xx = (status: number) => status >= 200 && status < 300;

export interface WorldOptions {
  readonly faults?: readonly Fault[];
  /** See {@link SqsSimulation}: a standard queue's extra copy of each deleted message. @default true */
  readonly atLeastOnceCopies?: boolean;
}

/**
 * One execution environment of each function (cold caches), wired as functions/validator/index.ts
 * and functions/router/index.ts wire them: the real handlers over the real SDK adapters, the
 * configuration read from environment variables by the real loaders. DynamoDB is dynalite;
 * Secrets Manager, S3, SQS and EventBridge are intercepted at their SDK clients' `send` by
 * aws-sdk-client-mock and answered by in-memory services.
 */
export function createWorld(table: LocalTable, endpoint: string, options: WorldOptions = {}) {
  const clock = new VirtualClock(T0);
  const plan = new FaultPlan(options.faults ?? []);
  const violations: string[] = [];

  // ---- Secrets Manager: one document per provider, as the stack's ProviderSecrets holds them; a
  // provider whose handshake hands its secret over starts without a value, as the stack makes it.
  const secrets = new SecretVersions();
  for (const provider of PROVIDERS) {
    if (!storesHandshakeSecret(schemeFor(provider.scheme)))
      secrets.seed(provider.secretId, JSON.stringify({ secrets: [SIGNING_SECRETS[provider.id]] }));
  }
  const secretsClient = new SecretsManagerClient({ region: "us-east-1" });
  const secretsManager = mockClient(secretsClient);
  secretsManager.on(GetSecretValueCommand).callsFake(async (input: { SecretId: string }) => {
    if (plan.hit("secrets", input.SecretId)) throw injectedError.secrets();
    return secrets.current(input.SecretId);
  });
  secretsManager.on(PutSecretValueCommand).callsFake(async (input: PutSecretValueCommandInput) => {
    const fault = plan.hit("secretPut", input.SecretId!);
    if (!fault) return secrets.put(input.SecretId!, input.ClientRequestToken!, input.SecretString!);
    if (fault.lost === "answer") secrets.put(input.SecretId!, input.ClientRequestToken!, input.SecretString!);
    throw injectedError.secrets("PutSecretValue");
  });

  // ---- S3: the payload bucket, shared by both functions (each has its own client).
  const bucket = new Map<string, StoredObject>();
  const putObject = (caller: string) => async (input: PutObjectCommandInput) => {
    const key = input.Key ?? "";
    if (caller === "validator" && plan.hit("bucketPut", lastSegment(key)))
      throw injectedError.s3("PutObject");
    if (input.Bucket !== PAYLOAD_BUCKET) violations.push(`${caller} PutObject to bucket ${input.Bucket}`);
    const body = new Uint8Array(input.Body as Uint8Array);
    if (
      input.ChecksumSHA256 !== undefined &&
      input.ChecksumSHA256 !== createHash("sha256").update(body).digest("base64")
    ) {
      violations.push(`${caller} PutObject ${key}: ChecksumSHA256 does not match the body`);
      throw injectedError.s3("PutObject (BadDigest)");
    }
    bucket.set(key, { body, contentType: input.ContentType });
    return { ETag: `"${createHash("md5").update(body).digest("hex")}"` };
  };
  const validatorS3Client = new S3Client({ region: "us-east-1" });
  mockClient(validatorS3Client).on(PutObjectCommand).callsFake(putObject("validator"));
  const routerS3Client = new S3Client({ region: "us-east-1" });
  const routerS3 = mockClient(routerS3Client);
  routerS3.on(PutObjectCommand).callsFake(putObject("router"));
  routerS3.on(GetObjectCommand).callsFake(async (input: { Bucket: string; Key: string }) => {
    if (plan.hit("s3Get", lastSegment(input.Key))) throw injectedError.s3("GetObject");
    const object = input.Bucket === PAYLOAD_BUCKET ? bucket.get(input.Key) : undefined;
    if (!object) throw injectedError.s3(`GetObject of missing ${input.Key} (NoSuchKey)`);
    return {
      ContentLength: object.body.byteLength,
      ContentType: object.contentType,
      Body: { transformToByteArray: async () => new Uint8Array(object.body) } as never,
    };
  });

  // ---- SQS: the ingest queue and its DLQ (redrive after 3 receives, like the stack).
  const queue = new SqsSimulation(clock, {
    maxMessageBytes: QUEUE_MAX_MESSAGE_BYTES,
    maxReceiveCount: 3,
    visibilityTimeoutMs: 6 * 30_000 + 1_000,
    batchSize: 10,
    atLeastOnceCopies: options.atLeastOnceCopies ?? true,
  });
  const sqsClient = new SQSClient({ region: "us-east-1" });
  mockClient(sqsClient)
    .on(SendMessageCommand)
    .callsFake(async (input: SendMessageCommandInput) => {
      const fault = plan.hit("sendMessage", input.MessageAttributes?.webhookId?.StringValue ?? "?");
      if (!fault) return queue.send(input);
      if (fault.lost === "answer") queue.send(input);
      throw injectedError.sqs();
    });

  // ---- EventBridge: the bus, capturing every entry it accepted.
  const bus: BusEvent[] = [];
  let putEventsCalls = 0;
  const eventBridgeClient = new EventBridgeClient({ region: "us-east-1", maxAttempts: 1 });
  mockClient(eventBridgeClient)
    .on(PutEventsCommand)
    .callsFake(async (input: PutEventsCommandInput) => {
      putEventsCalls += 1;
      const entries = input.Entries ?? [];
      if (entries.length < 1 || entries.length > 10)
        violations.push(`PutEvents with ${entries.length} entries`);
      const accept = (entry: (typeof entries)[number]) => {
        const eventId = `ev-${String(bus.length + 1).padStart(4, "0")}`;
        const detail = JSON.parse(entry.Detail ?? "null") as Record<string, unknown>;
        bus.push({
          eventId,
          source: entry.Source ?? "",
          detailType: entry.DetailType ?? "",
          detail,
          time: entry.Time,
          fromCopy: queue.deliveringCopies,
        });
        return { EventId: eventId };
      };
      for (const entry of entries) {
        const size =
          14 +
          Buffer.byteLength(entry.Source ?? "") +
          Buffer.byteLength(entry.DetailType ?? "") +
          Buffer.byteLength(entry.Detail ?? "");
        if (entry.EventBusName !== EVENT_BUS_NAME) violations.push(`PutEvents to bus ${entry.EventBusName}`);
        if (size > 262_144) violations.push(`PutEvents entry of ${size} bytes`);
        const refusal = busRefusal(entry);
        if (refusal) violations.push(`PutEvents entry ${refusal}`);
      }
      const total = plan.hit("putEventsTotal", "call");
      if (total) {
        if (total.lost === "answer") entries.forEach(accept);
        throw injectedError.putEvents();
      }
      const results = entries.map((entry) => {
        const webhookId = String((JSON.parse(entry.Detail ?? "{}") as { webhookId?: unknown }).webhookId);
        const fault = plan.hit("putEventsPartial", webhookId);
        if (!fault) return accept(entry);
        return { ErrorCode: fault.code ?? "ThrottlingException", ErrorMessage: "injected entry failure" };
      });
      return { FailedEntryCount: results.filter((result) => "ErrorCode" in result).length, Entries: results };
    });

  // ---- The functions, configured like index.ts: the environment, the validator's providers file.
  const validatorEnv = {
    [FunctionEnv.tableName]: table.tableName,
    [FunctionEnv.queueUrl]: QUEUE_URL,
    [FunctionEnv.payloadBucket]: PAYLOAD_BUCKET,
    [FunctionEnv.queueMaxMessageBytes]: String(QUEUE_MAX_MESSAGE_BYTES),
  };
  const validatorConfig = loadConfig(validatorEnv, JSON.stringify(PROVIDERS));
  const validatorLog = new RecordingLog();
  const metrics = new RecordingMetrics();
  const validate = createValidatorHandler({
    config: validatorConfig,
    secrets: createSecretsManagerSource(secretsClient),
    store: createDynamoDbStore(faultyDynamoClient(endpoint, plan), validatorConfig.tableName),
    queue: createSqsQueue(sqsClient, validatorConfig.queueUrl),
    blobs: createS3Blobs(async () => validatorS3Client, validatorConfig.payloadBucket),
    clock,
    logger: validatorLog,
    metrics,
    handshakes: createSecretsManagerHandshakeStore(secretsClient),
  });

  const routerEnv = {
    [FunctionEnv.tableName]: table.tableName,
    [FunctionEnv.eventBusName]: EVENT_BUS_NAME,
    [FunctionEnv.payloadBucket]: PAYLOAD_BUCKET,
  };
  const routerLog = new RecordingLog();
  const counters = new RecordingCounters();
  const route = createRouterHandler({
    records: dynamoRecordStore(faultyDynamoClient(endpoint, plan), routerEnv[FunctionEnv.tableName]!, {
      sleep: clock.sleep,
    }),
    bus: eventBridgeBus(eventBridgeClient),
    blobs: s3BlobStore(async () => routerS3Client),
    clock,
    logger: routerLog,
    counters,
    config: routerConfigFromEnv(routerEnv),
    random: () => 0.5,
  });

  const senders: SenderLog[] = [];

  /** A sender's attempts: every non-2xx answer is retried after a back-off, up to {@link SENDER_MAX_ATTEMPTS}. */
  async function retrying(
    request: (attempt: number, nowSeconds: number) => ValidatorEvent,
  ): Promise<RequestLog> {
    const log: RequestLog = { answers: [], responses: [] };
    for (let attempt = 1; attempt <= SENDER_MAX_ATTEMPTS; attempt++) {
      const response = await validate(request(attempt, Math.floor(clock.now() / 1000)), {
        getRemainingTimeInMillis: () => VALIDATOR_REMAINING_MS,
      });
      log.answers.push(response.statusCode);
      log.responses.push(response);
      if (is2xx(response.statusCode) || attempt === SENDER_MAX_ATTEMPTS) break;
      clock.advance(SENDER_RETRY_DELAYS_MS[attempt - 1]!);
    }
    return log;
  }

  return {
    table,
    clock,
    plan,
    queue,
    bus,
    bucket,
    senders,
    metrics,
    counters,
    validatorLog,
    routerLog,
    get putEventsCalls() {
      return putEventsCalls;
    },
    /** Violations of the services' contracts (would have been refused by AWS). */
    violations: () => [...violations, ...queue.violations],

    /** The provider's secret document as Secrets Manager holds it now (undefined: no value). */
    secretDocument: (secretId: string): unknown => secrets.document(secretId),
    /** Versions the validator's PutSecretValue calls made. */
    get secretVersionsWritten() {
      return secrets.written;
    },

    /**
     * A sender delivering one webhook: it retries every non-2xx answer after a back-off, re-signing
     * each attempt, until a 2xx or {@link SENDER_MAX_ATTEMPTS}.
     */
    async send(webhook: Webhook): Promise<SenderLog> {
      const log: SenderLog = { webhook, answers: [] };
      senders.push(log);
      log.answers.push(...(await retrying((attempt, now) => signedRequest(webhook, attempt, now))).answers);
      return log;
    },

    /** A sender's other request (a handshake), retried like a delivery. */
    request: retrying,

    /** Lambda's event source mapping runs the router until the queue is empty. */
    drain: () =>
      queue.drain((event) => route(event, { getRemainingTimeInMillis: () => ROUTER_REMAINING_MS })),
  };
}

export type World = ReturnType<typeof createWorld>;

/**
 * What EventBridge documents it refuses in an entry beyond its size: a DetailType over 128
 * characters, an event nested over 1000 levels (the detail sits one level down; a scalar counts),
 * an integer outside int64.
 */
function busRefusal(entry: { DetailType?: string; Detail?: string }): string | undefined {
  if ((entry.DetailType ?? "").length > 128) return "with a DetailType over 128 characters";
  const detail = entry.Detail ?? "";
  let depth = 1;
  let deepest = depth;
  for (let index = 0; index < detail.length; index++) {
    const char = detail[index]!;
    if (char === '"') {
      for (index++; detail[index] !== '"'; index++) if (detail[index] === "\\") index++;
    } else if (char === "[" || char === "{") deepest = Math.max(deepest, ++depth);
    else if (char === "]" || char === "}") depth--;
    else if (/[-0-9tfn]/.test(char)) {
      deepest = Math.max(deepest, depth + 1);
      const token = /^-?[0-9]+(?![.eE0-9])/.exec(detail.slice(index, index + 32))?.[0];
      if (token && (BigInt(token) > 2n ** 63n - 1n || BigInt(token) < -(2n ** 63n)))
        return `with the integer ${token}, outside int64`;
      while (index + 1 < detail.length && /[-+.eE0-9a-z]/.test(detail[index + 1]!)) index++;
    }
  }
  return deepest > 1000 ? `nested ${deepest} levels deep (over 1000)` : undefined;
}

/**
 * Secret values as Secrets Manager versions them: PutSecretValue makes the version its
 * ClientRequestToken names current, does nothing when that version exists with the same value, and
 * refuses another value under an existing id.
 */
class SecretVersions {
  private readonly secrets = new Map<string, { current: string; values: Map<string, string> }>();
  written = 0;

  /** The value an operator put before the scenario. */
  seed(secretId: string, value: string): void {
    this.secrets.set(secretId, { current: "operator-1", values: new Map([["operator-1", value]]) });
  }

  current(secretId: string) {
    const secret = this.secrets.get(secretId);
    if (!secret)
      throw new ResourceNotFoundException({
        message: `Secrets Manager can't find the specified secret value for staging label: AWSCURRENT (${secretId})`,
        $metadata: {},
      });
    return {
      Name: secretId,
      VersionId: secret.current,
      SecretString: secret.values.get(secret.current)!,
      VersionStages: ["AWSCURRENT"],
    };
  }

  document(secretId: string): unknown {
    const secret = this.secrets.get(secretId);
    return secret && JSON.parse(secret.values.get(secret.current)!);
  }

  put(secretId: string, versionId: string, value: string) {
    const secret = this.secrets.get(secretId) ?? { current: versionId, values: new Map<string, string>() };
    const existing = secret.values.get(versionId);
    if (existing !== undefined && existing !== value)
      throw new ResourceExistsException({ message: `version ${versionId} exists`, $metadata: {} });
    if (existing === undefined) {
      secret.values.set(versionId, value);
      secret.current = versionId;
      this.secrets.set(secretId, secret);
      this.written += 1;
    }
    return { Name: secretId, VersionId: versionId, VersionStages: ["AWSCURRENT"] };
  }
}

/** The webhook id at the end of a payload key (`payloads/<provider>/<y>/<m>/<d>/<webhookId>`). */
function lastSegment(key: string): string {
  return key.slice(key.lastIndexOf("/") + 1).replace(/\.json$/, "");
}

/** Both functions' log ports; lines are kept for a failing test's inspection. */
export class RecordingLog implements Log, LoggerPort {
  readonly lines: { level: string; message: string; attributes: Record<string, unknown> }[] = [];
  info = (message: string, ...attributes: Record<string, unknown>[]) => this.add("info", message, attributes);
  warn = (message: string, ...attributes: Record<string, unknown>[]) => this.add("warn", message, attributes);
  error = (message: string, ...attributes: Record<string, unknown>[]) =>
    this.add("error", message, attributes);
  private add(level: string, message: string, attributes: Record<string, unknown>[]): void {
    this.lines.push({ level, message, attributes: Object.assign({}, ...attributes) });
  }
}

export class RecordingMetrics implements MetricsPort {
  readonly counts: { provider: string; outcome: Outcome; reason?: string }[] = [];
  count(provider: string, outcome: Outcome, reason?: string): void {
    this.counts.push(reason === undefined ? { provider, outcome } : { provider, outcome, reason });
  }
}

export class RecordingCounters implements Counters {
  readonly totals = new Map<string, number>();
  count(name: string, value: number, dimensions?: Readonly<Record<string, string>>): void {
    const key = dimensions ? `${name}{${Object.values(dimensions).join(",")}}` : name;
    this.totals.set(key, (this.totals.get(key) ?? 0) + value);
  }
  publish(): void {}
  get(key: string): number {
    return this.totals.get(key) ?? 0;
  }
}
