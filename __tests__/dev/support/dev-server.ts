import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Webhook as StandardWebhook } from "standardwebhooks";
import Stripe from "stripe";
import { FaultInjector } from "../../../cli/src/dev/faults";
import { type RunningDevServer, startDevServer } from "../../../cli/src/dev/server";
import { DEV_DIR } from "../../../cli/src/dev/state";
import { resolveConfig } from "../../../stacks/config";
import { runOctokit } from "../../functions/shared/support/octokit";

/** A platform with one provider per library-backed sender and a route for each. */
export const DEV_CONFIG = resolveConfig({
  providers: [
    { id: "stripe", scheme: "stripe" },
    { id: "github", scheme: "github" },
    { id: "svix", scheme: "standard-webhooks", headerFamily: "svix" },
  ],
  routes: [
    {
      id: "payments",
      eventPattern: { source: ["webhooks.stripe"], "detail-type": [{ prefix: "payment_intent." }] },
    },
    { id: "pushes", eventPattern: { source: ["webhooks.github"], "detail-type": ["push"] } },
    { id: "invoices", eventPattern: { source: ["webhooks.svix"] } },
  ],
});

/** The secrets the senders share with the dev server (given as `--secret` would give them). */
export const SECRETS = {
  stripe: "whsec_dev_e2e_stripe_signing_secret",
  github: "dev-e2e-github-webhook-secret",
  svix: `whsec_${Buffer.alloc(32, 9).toString("base64")}`,
} as const;

export interface StartedDev {
  readonly server: RunningDevServer;
  /** The directory the server runs in (its .webhooks-dev is there). */
  readonly cwd: string;
  readonly url: string;
  readonly output: () => string;
}

/** Starts `webhooks dev` in-process on free ports in a fresh directory, with short visibility timeouts. */
export async function startDev(
  options: {
    /** A configuration file's content instead of {@link DEV_CONFIG}. */
    readonly config?: unknown;
    readonly forwards?: ReadonlyMap<string, URL>;
    readonly faults?: FaultInjector;
    readonly visibilityTimeoutMs?: number;
  } = {},
): Promise<StartedDev> {
  const cwd = mkdtempSync(join(tmpdir(), "webhooks-dev-"));
  let output = "";
  const config = options.config === undefined ? DEV_CONFIG : resolveConfig(options.config);
  const configured = (id: string) => config.providers.some((provider) => provider.id === id);
  const server = await startDevServer({
    config,
    host: "127.0.0.1",
    port: 0,
    awsPort: 0,
    stateDir: join(cwd, DEV_DIR),
    secretsFile: join(cwd, DEV_DIR, "secrets.json"),
    secretFlags: new Map(
      Object.entries(SECRETS)
        .filter(([id]) => configured(id))
        .map(([id, secret]) => [id, [secret]]),
    ),
    apiKey: undefined,
    forwards: options.forwards ?? new Map(),
    faults: options.faults ?? new FaultInjector(new Map()),
    visibilityTimeoutMs: options.visibilityTimeoutMs ?? 100,
    fetch,
    now: Date.now,
    out: {
      write: (text) => {
        output += text;
      },
    },
    verbose: false,
  });
  return { server, cwd, url: server.state.url, output: () => output };
}

/** What a consumer received: one entry per POST, in order. */
export interface Delivery {
  readonly eventId: string;
  readonly webhookId: string;
  readonly deliveryId: string;
  readonly source: string;
  readonly detailType: string;
  readonly status: number;
}

/**
 * A consumer's HTTP endpoint: answers each event with `answer(event)` (200 unless told otherwise)
 * and records every POST.
 */
export async function startConsumer(answer: (delivery: Omit<Delivery, "status">) => number = () => 200) {
  const received: Delivery[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const event = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const delivery = {
        eventId: event.id,
        webhookId: event.detail.webhookId,
        deliveryId: event.detail.deliveryId,
        source: event.source,
        detailType: event["detail-type"],
      };
      const status = answer(delivery);
      received.push({ ...delivery, status });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    received,
    url: (path: string) => new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const stripe = new Stripe("sk_test_dev_e2e");

/** A Stripe event body and its POST as Stripe sends it, signed by stripe-node. */
export function stripeEvent(id: string, type: string) {
  const body = JSON.stringify({
    id,
    object: "event",
    type,
    data: { object: { id: `pi_${id}`, amount: 4200 } },
  });
  return {
    path: "/webhooks/stripe",
    body,
    headers: () => ({
      "content-type": "application/json",
      "stripe-signature": stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRETS.stripe }),
    }),
  };
}

/** GitHub pushes signed by @octokit/webhooks-methods (one child process for all of them). */
export function githubPushes(deliveryIds: readonly string[]) {
  const bodies = deliveryIds.map((id) => JSON.stringify({ ref: "refs/heads/main", after: id, commits: [] }));
  const { sign } = runOctokit({ sign: bodies.map((payload) => ({ secret: SECRETS.github, payload })) });
  return deliveryIds.map((id, index) => ({
    path: "/webhooks/github",
    body: bodies[index]!,
    headers: () => ({
      "content-type": "application/json",
      "x-github-event": "push",
      "x-github-delivery": id,
      "x-hub-signature-256": sign[index]!,
    }),
  }));
}

/** A Svix message signed by the standardwebhooks library, with svix-* headers. */
export function svixMessage(type: string) {
  const id = `msg_${randomUUID().replaceAll("-", "")}`;
  const body = JSON.stringify({ type, data: { invoice: "inv_1" } });
  return {
    path: "/webhooks/svix",
    body,
    id,
    headers: () => {
      const now = new Date();
      return {
        "content-type": "application/json",
        "svix-id": id,
        "svix-timestamp": String(Math.floor(now.getTime() / 1000)),
        "svix-signature": new StandardWebhook(SECRETS.svix).sign(id, now, body),
      };
    },
  };
}

/** POSTs a signed request (signed afresh: a sender's retry) and returns the status and JSON answer. */
export async function post(
  url: string,
  request: { readonly path: string; readonly body: string; headers(): Record<string, string> },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}${request.path}`, {
    method: "POST",
    headers: request.headers(),
    body: request.body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * Waits for `condition`, checking every 10 ms; fails after `timeoutMs` naming what it waited for
 * (generous: a loaded machine running the whole suite delays timers, a passing run takes ms).
 */
export async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
