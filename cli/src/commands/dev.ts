import { join, relative, resolve } from "node:path";
import { GENERIC_ENDPOINT_ID } from "@webhooks/shared";
import { ROUTER_TIMEOUT_SECONDS } from "../../../constructs/delivery";
import { VISIBILITY_TIMEOUT_FACTOR } from "../../../constructs/ingest-queue";
import {
  DEFAULT_CONSUMER_MAX_RECEIVE_COUNT,
  DEFAULT_CONSUMER_VISIBILITY_TIMEOUT_SECONDS,
} from "../../../constructs/route-target";
import { integerOption, parseCommandLine } from "../args";
import { type Command, CommandError, ExitCode, type Io, UsageError } from "../command";
import { FAULT_HELP, FaultInjector, parseFaults } from "../dev/faults";
import { parseSecretFlags } from "../dev/secrets";
import { type RunningDevServer, startDevServer } from "../dev/server";
import { DEV_DIR, SECRETS_FILE } from "../dev/state";

const DEFAULT_PORT = 8790;
const DEFAULT_VISIBILITY_SECONDS = 5;
const HOST = "127.0.0.1";

export const devCommand: Command = {
  name: "dev",
  summary: "run the platform on this machine: the API, the real validator and router, queues and routes",
  help: `Usage: webhooks dev [--port <n>] [--forward <route>=<url>]... [--secret <provider>=<s>]...
                   [--fail <point>=<rate>]... [options]

Runs the platform locally, without an AWS account, from the configuration \`npm run synth\` uses
(WEBHOOK_CONFIG and the WEBHOOK_* variables, else the defaults):
  - the webhook API on http://${HOST}:<port>: POST /webhooks/<provider> and the generic /webhook,
    answering as the deployed API does (the WAF's 413 above limits.maxBodyBytes, API Gateway's 403
    for an unknown route or a missing API key, 400 for a missing signature header, its JSON error
    bodies), then the validator's own handler;
  - the records table in dynalite (an in-memory DynamoDB) through the validator's and router's real
    DynamoDB adapters: dedupe, leases and TTL as deployed;
  - the ingest queue and its DLQ (maxReceiveCount from limits), drained in batches of 10 by the
    router's own handler; the bus evaluates every route's event pattern locally and puts matching
    events on the route's queue (DLQ after ${DEFAULT_CONSUMER_MAX_RECEIVE_COUNT} receives);
  - per route, a consumer: --forward POSTs each event to a URL (as \`webhooks listen\` does) and
    deletes it after a 2xx; any other answer leaves it to come back after the visibility timeout,
    then to the route's DLQ. A route without --forward prints its events.
One line per webhook as it is answered (provider, delivery id, status, the validator's verdict),
then one per stage: routes matched, each forward's answer, a move to a dead-letter queue.
Everything is in memory; Ctrl-C stops. A route whose pattern the local matcher cannot evaluate
stops the start, named. Not emulated: rate limits (WAF, stage throttling, the usage plan's quota),
FIFO ordering (the ingest queue is standard), the archive and replay, the audit function; an event
over the bus entry limit reaches consumers by reference (payloadRef) to the in-memory bucket,
which only this process can read.

  --port <n>             the API's port (default ${DEFAULT_PORT})
  --forward <route>=<url>
                         POST the route's events to this URL (repeat per route)
  --secret <provider>=<s>
                         the provider's signing secret instead of the secrets file's (repeat for
                         one provider to give it several, the first signing: a rotation)
  --secrets-file <file>  signing secrets and API key (default ${DEV_DIR}/${SECRETS_FILE}; created on
                         first start with random ones): {"apiKey": "…", "providers": {"<id>":
                         {"secrets": ["…"]}}}, each provider's document as its Secrets Manager
                         secret holds it; read on every secret fetch, so an edit is a rotation
  --api-key <key>        the x-api-key routes that require one accept (default: the secrets file's)
  --fail <point>=<rate>  fail a share of calls at a point (0..1 or 0%..100%; repeatable):
${FAULT_HELP}
  --visibility-timeout <s>
                         every local queue's visibility timeout: how soon a failed message comes
                         back (default ${DEFAULT_VISIBILITY_SECONDS}; deployed: ${DEFAULT_CONSUMER_VISIBILITY_TIMEOUT_SECONDS} s for route queues,
                         over ${VISIBILITY_TIMEOUT_FACTOR * ROUTER_TIMEOUT_SECONDS} s for the ingest queue)
  --aws-port <n>         the local AWS endpoint's port (default: any free one)
  --verbose              also print every record the functions log, as JSON

The running instance writes ${DEV_DIR}/state.json (removed when it stops) for the commands that
take --dev: \`webhooks send --dev --provider <id>\` signs with the local secret and POSTs to the
local API; \`webhooks status --dev\` and \`webhooks redrive --dev\` run their usual code against the
local AWS endpoint (dynalite and the local queues).

Examples:
  webhooks dev
  webhooks dev --forward payments=http://localhost:3000/hook
  WEBHOOK_CONFIG=prod.json webhooks dev --secret stripe=whsec_… --fail forward=50%`,

  async run(args, io) {
    const { values } = parseCommandLine(args, {
      port: { type: "string" },
      "aws-port": { type: "string" },
      forward: { type: "string", multiple: true },
      secret: { type: "string", multiple: true },
      "secrets-file": { type: "string" },
      "api-key": { type: "string" },
      fail: { type: "string", multiple: true },
      "visibility-timeout": { type: "string" },
      verbose: { type: "boolean" },
    });
    const port = integerOption(values.port, "port", 0, 65_535) ?? DEFAULT_PORT;
    const awsPort = integerOption(values["aws-port"], "aws-port", 0, 65_535) ?? 0;
    const visibilitySeconds =
      integerOption(values["visibility-timeout"], "visibility-timeout", 0, 43_200) ??
      DEFAULT_VISIBILITY_SECONDS;
    const faults = new FaultInjector(parseFaults(values.fail ?? []));
    if (values["api-key"] === "") throw new UsageError("--api-key needs a value");
    const config = loadPlatformConfig(io);
    if (config === undefined) return ExitCode.usage;
    const forwards = parseForwards(
      values.forward ?? [],
      config.routes.map((route) => route.id),
      io,
    );
    const secretFlags = parseSecretFlags(
      values.secret ?? [],
      config.providers.map((provider) => provider.id),
    );
    const stateDir = join(io.cwd, DEV_DIR);

    let server: RunningDevServer;
    try {
      server = await startDevServer({
        config,
        host: HOST,
        port,
        awsPort,
        stateDir,
        secretsFile: resolve(io.cwd, values["secrets-file"] ?? join(DEV_DIR, SECRETS_FILE)),
        secretFlags,
        apiKey: values["api-key"],
        forwards,
        faults,
        visibilityTimeoutMs: visibilitySeconds * 1000,
        fetch: io.fetch,
        now: () => io.now(),
        out: io.stdout,
        verbose: values.verbose ?? false,
      });
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      if (code === "EADDRINUSE") {
        throw new CommandError(
          `a port is in use (${(error as Error).message.replace(/^listen EADDRINUSE: address already in use /, "")}): is another webhooks dev running? Choose another with --port or --aws-port`,
        );
      }
      throw error;
    }
    io.stdout.write(startBanner(server, forwards, faults, visibilitySeconds, io.cwd));

    const stopped = new Promise<void>((resolveStop) => {
      const release = io.onInterrupt(() => {
        release();
        resolveStop();
      });
    });
    await stopped;
    await server.stop();
    io.stdout.write(`stopped: ${server.log.summary()}; the records and queues were in memory and are gone\n`);
    return ExitCode.ok;
  },
};

/** The configuration `npm run synth` would synthesize here; its problems printed as synth prints them. */
function loadPlatformConfig(io: Io) {
  const { ConfigError, loadConfig } =
    require("../../../stacks/config") as typeof import("../../../stacks/config");
  const file = io.env.WEBHOOK_CONFIG;
  const env = { ...io.env, ...(file ? { WEBHOOK_CONFIG: resolve(io.cwd, file) } : {}) };
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const count = `${error.problems.length} problem${error.problems.length === 1 ? "" : "s"}`;
    if (error.source) io.stderr.write(`config: ${error.source}: ${count}\n`);
    for (const problem of error.problems) io.stderr.write(`config: ${problem}\n`);
    return undefined;
  }
}

/** `--forward <route>=<url>` values by route; routes must be configured ones, URLs http(s). */
function parseForwards(specs: readonly string[], routeIds: readonly string[], io: Io): Map<string, URL> {
  const forwards = new Map<string, URL>();
  for (const spec of specs) {
    const equals = spec.indexOf("=");
    const route = spec.slice(0, Math.max(0, equals));
    let url: URL | undefined;
    try {
      url = new URL(spec.slice(equals + 1));
    } catch {}
    if (equals <= 0 || !url || (url.protocol !== "http:" && url.protocol !== "https:")) {
      throw new UsageError(
        `--forward takes <route>=<http(s) url>, e.g. payments=http://localhost:3000/hook, got '${spec}'`,
      );
    }
    if (!routeIds.includes(route)) {
      throw new UsageError(
        `--forward: ${route} is not a configured route (${routeIds.join(", ") || "none"})`,
      );
    }
    if (forwards.has(route)) throw new UsageError(`--forward ${route} is given twice`);
    if (!["localhost", "127.0.0.1", "[::1]"].includes(url.hostname)) {
      io.stderr.write(
        `warning: --forward ${route} goes to ${url.host}, not this machine: payloads are sent there\n`,
      );
    }
    forwards.set(route, url);
  }
  return forwards;
}

function startBanner(
  server: RunningDevServer,
  forwards: ReadonlyMap<string, URL>,
  faults: FaultInjector,
  visibilitySeconds: number,
  cwd: string,
): string {
  const { plan, secrets, state } = server;
  const shown = (file: string) => relative(cwd, file) || file;
  const routes = plan.routes.map((route) => {
    const target = forwards.get(route.id);
    return `    ${route.id}  ${JSON.stringify(route.pattern)}  → ${target ? `POST ${target.href}` : `printed (--forward ${route.id}=<url> to POST)`}`;
  });
  const secretsNote = secrets.created
    ? " (created now: random secrets and API key)"
    : secrets.added.length > 0
      ? ` (added ${secrets.added.join(", ")})`
      : "";
  const flagged = Object.keys(secrets.fromFlags);
  const failing = [...faults.rates].map(([point, rate]) => `${point}=${rate}`);
  const example = plan.config.providers[0]?.id ?? "<provider>";
  return [
    `webhooks dev: ${plan.stackId} (${plan.config.region}), in memory, no AWS account`,
    `  API        ${state.url}  POST ${plan.endpoints.map((endpoint) => `/${endpoint.path.join("/")}`).join(", ")}`,
    `  providers  ${plan.endpoints
      .filter((endpoint) => endpoint.id !== GENERIC_ENDPOINT_ID)
      .map((endpoint) => `${endpoint.id}${endpoint.apiKeyRequired ? " (x-api-key)" : ""}`)
      .join(", ")}`,
    `  secrets    ${shown(secrets.file)}${secretsNote}${flagged.length > 0 ? `; --secret for ${flagged.join(", ")}` : ""}`,
    `  routes${plan.routes.length === 0 ? "     none configured: events stay on the bus" : ""}`,
    ...routes,
    `  queues     ingest → ${plan.ingestDlqName} after ${plan.config.limits.maxReceiveCount} receives; route queues → their DLQ after ${DEFAULT_CONSUMER_MAX_RECEIVE_COUNT}; visibility timeout ${visibilitySeconds} s`,
    ...(plan.config.fifoIngestQueue
      ? [
          "  note       fifoIngestQueue is set: the local ingest queue is a standard one (no per-provider order)",
        ]
      : []),
    ...(failing.length > 0 ? [`  failing    ${failing.join(", ")}`] : []),
    `  AWS        ${state.awsEndpoint} (DynamoDB, SQS) for webhooks status --dev, redrive --dev`,
    `Send one:   npx webhooks send --dev --provider ${plan.config.providers.some((p) => p.id === "stripe") ? "stripe --body examples/stripe-payment_intent.succeeded.json" : `${example} --data '{"type":"test"}'`}`,
    "Ctrl-C stops.",
    "",
  ].join("\n");
}
