import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EVENT_SOURCE_PREFIX, parseEnvelope, schemeFor } from "@webhooks/shared";
import { ROUTER_BATCH_SIZE, ROUTER_TIMEOUT_SECONDS, routerEnvironment } from "../../../constructs/delivery";
import { SQS_MAX_MESSAGE_BYTES } from "../../../constructs/encrypted-queue";
import { validatorEnvironment } from "../../../constructs/ingress";
import { DEFAULT_CONSUMER_MAX_RECEIVE_COUNT } from "../../../constructs/route-target";
import { systemClock } from "../../../functions/router/adapters/clock";
import { dynamoRecordStore } from "../../../functions/router/adapters/records";
import { routerFromEnvironment } from "../../../functions/router/wiring";
import { createDynamoDbStore } from "../../../functions/validator/adapters/dynamodb-store";
import { validatorFromEnvironment } from "../../../functions/validator/wiring";
import type { PlatformConfig } from "../../../stacks/config";
import type { Output } from "../command";
import type { QueueRedrive, StackModel } from "../stack-model";
import { webhookApiListener } from "./api";
import { awsEndpointListener } from "./aws-endpoint";
import { runForwarder, runRouterSource } from "./consumers";
import { type FaultInjector, faultyBus, faultyQueue, faultyRecords, faultyStore } from "./faults";
import { localPayloadBucket } from "./local-blobs";
import { LOCAL_ACCOUNT, localBus } from "./local-bus";
import { LocalQueue } from "./local-queue";
import { DevLog } from "./log";
import { type DevPlan, devPlan } from "./plan";
import { recordsTableDefinition } from "./records-table";
import { type DevSecrets, fileHandshakeStore, fileSecretsSource, prepareSecrets } from "./secrets";
import { type DevState, LOCAL_CREDENTIALS, removeDevState, writeDevState } from "./state";

// dynalite ships no types; it is a real DynamoDB implementation (conditional writes, GSIs, validation).
// biome-ignore lint/suspicious/noExplicitAny: untyped module
const dynalite: (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => any =
  require("dynalite");

export interface DevServerOptions {
  readonly config: PlatformConfig;
  /** Loopback host both servers listen on. */
  readonly host: string;
  /** The webhook API's port; 0 takes a free one. */
  readonly port: number;
  /** The local AWS endpoint's port; 0 takes a free one. */
  readonly awsPort: number;
  /** Where the state file goes (`.webhooks-dev`). */
  readonly stateDir: string;
  readonly secretsFile: string;
  /** `--secret` values by provider. */
  readonly secretFlags: ReadonlyMap<string, readonly string[]>;
  readonly apiKey: string | undefined;
  /** Route id → URL its events are POSTed to. */
  readonly forwards: ReadonlyMap<string, URL>;
  readonly faults: FaultInjector;
  /** Every local queue's visibility timeout: how soon a failed message comes back. */
  readonly visibilityTimeoutMs: number;
  readonly fetch: typeof fetch;
  readonly now: () => number;
  readonly out: Output;
  readonly verbose: boolean;
}

export interface RunningDevServer {
  readonly plan: DevPlan;
  readonly secrets: DevSecrets;
  readonly state: DevState;
  readonly stateFile: string;
  /** Every local queue by name. */
  readonly queues: ReadonlyMap<string, LocalQueue>;
  readonly log: DevLog;
  /** Stops consumers and servers and removes the state file. */
  stop(): Promise<void>;
}

/**
 * Starts the platform on this machine: the webhook API (WAF and API Gateway behaviour in front of
 * the real validator handler), DynamoDB (dynalite) with the records table, the ingest queue and its
 * DLQ drained in batches by the real router handler, the bus evaluating every route's pattern into
 * the route queues and their DLQs, one consumer per route that forwards or prints, and a local AWS
 * endpoint for `webhooks status --dev` and `redrive --dev`. Everything is in memory.
 */
export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const { config, faults, now } = options;
  const plan = devPlan(config);
  const schemes = plan.providers.map((provider) => ({
    id: provider.id,
    scheme: schemeFor(provider.scheme, provider.custom),
  }));
  const secrets = prepareSecrets(options.secretsFile, schemes, {
    secrets: options.secretFlags,
    apiKey: options.apiKey,
  });
  const log = new DevLog(options.out, now, options.verbose);
  log.setProviders(config.providers.map((provider) => provider.id));
  const stop = new AbortController();

  const queues = new Map<string, LocalQueue>();
  const dynamoDb = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const aws = await listen(
    awsEndpointListener({ queues, dynamoDb, stop: stop.signal }),
    options.host,
    options.awsPort,
  );
  const awsEndpoint = `http://${options.host}:${(aws.address() as AddressInfo).port}`;
  const queue = (name: string, redrive?: { deadLetterQueue: LocalQueue; maxReceiveCount: number }) => {
    const local = new LocalQueue({
      name,
      url: `${awsEndpoint}/${LOCAL_ACCOUNT}/${name}`,
      arn: `arn:aws:sqs:${config.region}:${LOCAL_ACCOUNT}:${name}`,
      visibilityTimeoutMs: options.visibilityTimeoutMs,
      maxMessageBytes: SQS_MAX_MESSAGE_BYTES,
      ...(redrive && { redrive }),
      clock: { now },
    });
    queues.set(name, local);
    return local;
  };
  const redrives: QueueRedrive[] = [];
  const withDlq = (
    label: string,
    name: string,
    dlqName: string,
    maxReceiveCount: number,
    redrive: string,
  ) => {
    const dlq = queue(dlqName);
    const source = queue(name, { deadLetterQueue: dlq, maxReceiveCount });
    source.onDeadLetter = (message) => log.deadLettered(message.body, message.receiveCount, dlqName, redrive);
    redrives.push({ label, sourceQueue: name, dlq: dlqName, maxReceiveCount });
    return source;
  };
  const ingest = withDlq(
    "ingest",
    plan.ingestQueueName,
    plan.ingestDlqName,
    config.limits.maxReceiveCount,
    "npx webhooks redrive --dev",
  );
  const routes = plan.routes.map((route) => ({
    ...route,
    queue: withDlq(
      `route-${route.id}`,
      route.queueName,
      route.dlqName,
      DEFAULT_CONSUMER_MAX_RECEIVE_COUNT,
      `npx webhooks redrive --dev --queue ${route.id}`,
    ),
  }));

  const dynamo = new DynamoDBClient({
    endpoint: awsEndpoint,
    region: config.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const bucket = localPayloadBucket(plan.payloadBucket);

  const validate = validatorFromEnvironment(
    validatorEnvironment(config, {
      tableName: plan.tableName,
      queueUrl: ingest.settings.url,
      queueMaxMessageBytes: ingest.settings.maxMessageBytes,
      payloadBucket: plan.payloadBucket,
    }),
    JSON.stringify(plan.providers),
    (validatorConfig) => ({
      secrets: fileSecretsSource(secrets),
      handshakes: fileHandshakeStore(secrets),
      store: faultyStore(createDynamoDbStore(dynamo, validatorConfig.tableName), faults),
      queue: faultyQueue(
        {
          async send(message) {
            log.enqueued(parseEnvelope(message.body));
            ingest.send(message.body, { webhookId: message.webhookId, provider: message.provider });
          },
        },
        faults,
      ),
      blobs: bucket.validator,
      clock: { now },
      logger: log.validatorLogger,
      metrics: log.validatorMetrics,
    }),
  );
  const route = routerFromEnvironment(
    routerEnvironment({
      tableName: plan.tableName,
      busName: plan.busName,
      payloadBucket: plan.payloadBucket,
    }),
    ({ tableName }) => ({
      records: faultyRecords(dynamoRecordStore(dynamo, tableName, { sleep: systemClock.sleep }), faults),
      bus: faultyBus(
        localBus({
          busName: plan.busName,
          region: config.region,
          routes: routes.map((entry) => ({ id: entry.id, pattern: entry.compiled, queue: entry.queue })),
          onEvent: (event, matched) => log.routed(event, matched),
        }),
        faults,
      ),
      blobs: bucket.router,
      clock: { now, sleep: systemClock.sleep },
      logger: log.routerLogger,
      counters: log.routerCounters,
    }),
  );

  let api: Server;
  try {
    await dynamo.send(new CreateTableCommand(recordsTableDefinition(plan.tableName)));
    api = await listen(
      webhookApiListener({
        endpoints: plan.endpoints,
        maxBodyBytes: config.limits.maxBodyBytes,
        apiKey: secrets.apiKey,
        validate,
        onAnswer: (answer) => log.answered(answer),
      }),
      options.host,
      options.port,
    );
  } catch (error) {
    dynamo.destroy();
    await close(aws);
    throw error;
  }

  const consumers = [
    runRouterSource({
      queue: ingest,
      route,
      batchSize: ROUTER_BATCH_SIZE,
      timeoutMs: ROUTER_TIMEOUT_SECONDS * 1000,
      region: config.region,
      now,
      signal: stop.signal,
    }),
    ...routes.map((entry) =>
      runForwarder({
        routeId: entry.id,
        queue: entry.queue,
        target: options.forwards.get(entry.id),
        maxReceiveCount: DEFAULT_CONSUMER_MAX_RECEIVE_COUNT,
        fetch: options.fetch,
        faults,
        log,
        now,
        signal: stop.signal,
      }),
    ),
  ];

  const url = `http://${options.host}:${(api.address() as AddressInfo).port}`;
  const stack: StackModel = {
    dir: options.stateDir,
    region: config.region,
    tableName: plan.tableName,
    busName: plan.busName,
    archiveName: undefined,
    archiveRetentionDays: undefined,
    rules: plan.routes.map((entry) => ({
      name: entry.ruleName,
      eventPattern: entry.pattern,
      archiveOnly: false,
    })),
    redrives,
    eventDlqs: [],
    payloadArchive: undefined,
    providers: plan.providers,
    eventSourcePrefix: EVENT_SOURCE_PREFIX,
    dedupeTtlSeconds: config.limits.dedupeTtlHours * 3600,
    localEndpoint: awsEndpoint,
  };
  const state: DevState = {
    pid: process.pid,
    startedAt: new Date(now()).toISOString(),
    url,
    awsEndpoint,
    apiKey: secrets.apiKey,
    secretsFile: secrets.file,
    fromFlags: secrets.fromFlags,
    endpoints: plan.endpoints.map((endpoint) => ({
      id: endpoint.id,
      path: `/${endpoint.path.join("/")}`,
      apiKeyRequired: endpoint.apiKeyRequired,
    })),
    stack,
  };
  const stateFile = writeDevState(options.stateDir, state);

  return {
    plan,
    secrets,
    state,
    stateFile,
    queues,
    log,
    async stop() {
      stop.abort();
      removeDevState(options.stateDir, process.pid);
      await Promise.all([close(api), ...consumers]);
      await close(aws);
      dynamo.destroy();
    },
  };
}

function listen(listener: RequestListener, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(listener);
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

/** Closes a server and its idle keep-alive connections. */
function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
