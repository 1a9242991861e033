import { createHash, createHmac, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import type { ProviderRuntimeConfig } from "@webhooks/shared";
import { presetById, webhookIdFor } from "@webhooks/shared";
import { Webhook as StandardWebhook } from "standardwebhooks";
import Stripe from "stripe";
import type { ValidatorEvent } from "../../../functions/validator/request";
import { runOctokit } from "../../functions/shared/support/octokit";
import { apiGatewayEvent } from "../../functions/validator/support/events";

/**
 * The senders: one webhook per provider, a preset of each family: HMAC templates signed on every
 * attempt by the provider's own library (stripe-node, @octokit/webhooks-methods, standardwebhooks)
 * or, for Shopify, Slack and the generic scheme, by a hand HMAC with node:crypto as the rest of the
 * suite does; an asymmetric sender (Discord, Ed25519 with a key pair made here); a token sender
 * (GitLab); a code module's sender (Twilio, HMAC-SHA1 of its URL with the body's hash, by hand as
 * Twilio documents it). A retry is the same delivery re-signed with a fresh timestamp where the
 * scheme carries one, as real senders do.
 */

/** Discord's signing key (Discord keeps the private half; the secret document holds the public). */
const DISCORD_KEYS = generateKeyPairSync("ed25519");
/** What a forger signs Discord's requests with. */
const FORGER_KEYS = generateKeyPairSync("ed25519");
/** The URL Twilio is configured to call, which it signs. */
const TWILIO_URL = "https://hooks.example.com/webhooks/twilio";

/** The providers the platform is configured with, as the validator's `providers.json` would list them. */
export const PROVIDERS: readonly ProviderRuntimeConfig[] = [
  { id: "stripe", scheme: "stripe", secretId: "webhooks/e2e/stripe", toleranceSeconds: 300 },
  { id: "github", scheme: "github", secretId: "webhooks/e2e/github", toleranceSeconds: 300 },
  { id: "shopify", scheme: "shopify", secretId: "webhooks/e2e/shopify", toleranceSeconds: 300 },
  { id: "slack", scheme: "slack", secretId: "webhooks/e2e/slack", toleranceSeconds: 300 },
  { id: "std", scheme: "standard-webhooks", secretId: "webhooks/e2e/std", toleranceSeconds: 300 },
  { id: "acme", scheme: "generic", secretId: "webhooks/e2e/acme", toleranceSeconds: 300 },
  { id: "discord", scheme: "discord", secretId: "webhooks/e2e/discord", toleranceSeconds: 300 },
  { id: "gitlab", scheme: "gitlab", secretId: "webhooks/e2e/gitlab", toleranceSeconds: 300 },
  {
    id: "twilio",
    scheme: "twilio",
    secretId: "webhooks/e2e/twilio",
    toleranceSeconds: 300,
    publicUrl: TWILIO_URL,
  },
  { id: "asana", scheme: "asana", secretId: "webhooks/e2e/asana", toleranceSeconds: 300 },
];

/** The signing secret each provider shares with us (one active secret each). */
export const SIGNING_SECRETS: Readonly<Record<string, string>> = {
  stripe: "whsec_e2e_stripe_signing_secret",
  github: "e2e-github-webhook-secret",
  shopify: "shpss_e2e_shopify_secret",
  slack: "e2e-slack-signing-secret",
  std: `whsec_${Buffer.alloc(32, 7).toString("base64")}`,
  acme: "e2e-acme-hmac-secret",
  discord: publicKeyHex(DISCORD_KEYS.publicKey),
  gitlab: "e2e-gitlab-secret-token",
  twilio: "e2e-twilio-auth-token",
  // Handed over in Asana's handshake: its secret has no value until then.
  asana: "e2e-asana-x-hook-secret",
};

/** What a forger signs with: not any provider's secret. */
const FORGER_SECRET = "whsec_not_the_real_secret";

/** The HMAC senders, one per provider; `github` sends the large payload the validator claim-checks to S3. */
export const HMAC_SAMPLES = ["stripe", "github", "shopify", "slack", "std", "acme"] as const;
/** A sender of each other family: asymmetric (Discord, Ed25519), token (GitLab), code module (Twilio). */
export const OTHER_FAMILY_SAMPLES = ["discord", "gitlab", "twilio"] as const;
/** Every sender of the fault scenarios. */
export const SAMPLES = [...HMAC_SAMPLES, ...OTHER_FAMILY_SAMPLES] as const;
/** Asana delivers only once its handshake stored the secret: scenarios of its own. */
export type Sample = (typeof SAMPLES)[number] | "asana";

export interface Webhook {
  /** Which sender; for forgeries, the provider it pretends to be. */
  readonly sample: Sample;
  readonly provider: string;
  readonly deliveryId: string;
  readonly webhookId: string;
  readonly eventType: string;
  /** The exact bytes sent (and signed, unless forged). */
  readonly body: string;
  /** A forgery: the validator must refuse it and keep no trace of it. */
  readonly forged: boolean;
}

/** A GitHub push with 60 commits (~28 KB): far over the queue limit the world gives the validator. */
const GITHUB_PUSH = JSON.stringify({
  ref: "refs/heads/main",
  before: "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
  after: "0000000000000000000000000000000000000000",
  repository: { id: 1296269, full_name: "octocat/Hello-World", private: false },
  pusher: { name: "octocat", email: "octocat@github.com" },
  commits: Array.from({ length: 60 }, (_, index) => ({
    id: index.toString(16).padStart(40, "0"),
    message: `Commit ${index}: ${"refactor the webhook pipeline for resilience ".repeat(4)}`,
    timestamp: "2026-11-23T11:59:00Z",
    author: { name: "Mona Lisa Octocat", email: "octocat@github.com", username: "octocat" },
    added: [`src/module-${index}.ts`],
    removed: [],
    modified: [`src/index.ts`, `README.md`],
  })),
});

/** Signatures by @octokit/webhooks-methods (ESM-only: run once, in a child process, for every body). */
let octokitSignatures: ReadonlyMap<string, string> | undefined;
const octokitKey = (secret: string, payload: string) => `${secret}\n${payload}`;

/** Computes every GitHub signature the senders will need; call once in `beforeAll`. */
export function prepareOctokitSignatures(): void {
  const cases = [
    { secret: SIGNING_SECRETS.github!, payload: GITHUB_PUSH },
    { secret: FORGER_SECRET, payload: GITHUB_PUSH },
  ];
  const { sign } = runOctokit({ sign: cases });
  octokitSignatures = new Map(
    cases.map((entry, index) => [octokitKey(entry.secret, entry.payload), sign[index]!]),
  );
}

function octokitSignature(secret: string, payload: string): string {
  const signature = octokitSignatures?.get(octokitKey(secret, payload));
  if (signature === undefined) throw new Error("call prepareOctokitSignatures() in beforeAll first");
  return signature;
}

const stripe = new Stripe("sk_test_e2e_oracle");

/** An authentic webhook of `sample`. */
export function webhook(sample: Sample, deliveryId: string, eventType: string, body: unknown): Webhook {
  return {
    sample,
    provider: sample,
    deliveryId,
    webhookId: webhookIdFor(sample, deliveryId),
    eventType,
    body: typeof body === "string" ? body : JSON.stringify(body),
    forged: false,
  };
}

/**
 * The authentic webhooks of a scenario, one per sender in {@link SAMPLES}; `tag` keeps delivery
 * ids apart between scenarios (they share one table).
 */
export function authenticWebhooks(tag: string): Webhook[] {
  return [
    webhook("stripe", `evt_${tag}`, "invoice.paid", {
      id: `evt_${tag}`,
      object: "event",
      type: "invoice.paid",
      data: { object: { id: `in_${tag}`, object: "invoice", amount_paid: 4200, currency: "eur" } },
    }),
    webhook("github", `d1e2e000-${tag}`, "push", GITHUB_PUSH),
    webhook("shopify", `shopify-event-${tag}`, "orders/create", {
      id: 5820982911,
      email: "jon@example.com",
      total_price: "42.00",
    }),
    webhook("slack", `Ev${tag}`, "app_mention", {
      type: "event_callback",
      event_id: `Ev${tag}`,
      team_id: "T0001",
      event: { type: "app_mention", text: "<@U0LAN0Z89> is it everything?", channel: "C0LAN2Q65" },
    }),
    webhook("std", `msg_${tag}`, "invoice.paid", { type: "invoice.paid", data: { invoice: `inv_${tag}` } }),
    webhook("acme", `acme-${tag}`, "order.created", { type: "order.created", order: { id: 42 } }),
    // An application command (interaction type 2); the event type is the interaction type as text.
    webhook("discord", `11469${tag}`, "2", {
      id: `11469${tag}`,
      application_id: "1146900000000000000",
      type: 2,
      token: `interaction-token-${tag}`,
      version: 1,
      data: { name: "deploy", type: 1 },
    }),
    webhook("gitlab", `gitlab-${tag}`, "Push Hook", {
      object_kind: "push",
      ref: "refs/heads/main",
      project: { id: 15, path_with_namespace: "group/project" },
    }),
    webhook("twilio", `twilio-${tag}`, "delivered", {
      MessageSid: `SM${tag}`,
      MessageStatus: "delivered",
      AccountSid: "AC0000000000000000000000000000000",
    }),
  ];
}

/**
 * Asana's first event, signed with the secret its handshake handed over, or (forged) with the
 * secret a forger's handshake tried to hand over.
 */
export function asanaEvent(tag: string, forged = false): Webhook {
  const body = JSON.stringify({
    events: [
      {
        user: { gid: "12" },
        created_at: "2026-11-23T11:59:00.000Z",
        action: "added",
        resource: { gid: `12${tag}`, resource_type: "task" },
        parent: { gid: "34", resource_type: "project" },
      },
    ],
  });
  // Asana names no delivery id: the preset derives one from the batch's events. These scenarios are
  // about the handshake, so they take the preset's identity as given (its own tests check it).
  const identity = presetById("asana").identify(
    { headers: new Map(), body: Buffer.from(body) },
    JSON.parse(body),
  );
  if (!identity.ok || identity.deliveryId === undefined)
    throw new Error("Asana's sample event has no identity");
  return { ...webhook("asana", identity.deliveryId, identity.eventType, body), forged };
}

/** The secret a forger's handshake tries to hand over (and signs its events with). */
export const FORGED_HOOK_SECRET = FORGER_SECRET;

/** Asana's handshake: the first, unsigned request, handing over `X-Hook-Secret`. */
export function asanaHandshake(secret: string, requestId: string): ValidatorEvent {
  return apiGatewayEvent({ provider: "asana", headers: { "X-Hook-Secret": secret }, body: "", requestId });
}

/**
 * Four forgeries: Stripe and GitHub events signed with the wrong secret (the large GitHub one
 * would be claim-checked if it were accepted), a Standard Webhooks body swapped under a valid
 * signature, and a Discord interaction signed with another Ed25519 key.
 */
export function forgedWebhooks(tag: string): Webhook[] {
  const forged = (sample: Sample, deliveryId: string, eventType: string, body: string): Webhook => ({
    sample,
    provider: sample,
    deliveryId,
    webhookId: webhookIdFor(sample, deliveryId),
    eventType,
    body,
    forged: true,
  });
  return [
    forged(
      "stripe",
      `evt_forged_${tag}`,
      "payout.paid",
      JSON.stringify({ id: `evt_forged_${tag}`, object: "event", type: "payout.paid" }),
    ),
    forged("github", `d1e2e000-forged-${tag}`, "push", GITHUB_PUSH),
    forged("std", `msg_forged_${tag}`, "invoice.paid", JSON.stringify({ type: "invoice.paid", data: {} })),
    forged(
      "discord",
      `11469forged${tag}`,
      "2",
      JSON.stringify({ id: `11469forged${tag}`, type: 2, token: "t" }),
    ),
  ];
}

/**
 * The request a sender makes on its `attempt`-th try at `nowSeconds`: signed headers, then an API
 * Gateway proxy event as the REST API hands it to the validator (body base64-encoded:
 * `binary_media_types = ["*" + "/*"]`).
 */
export function signedRequest(webhook: Webhook, attempt: number, nowSeconds: number): ValidatorEvent {
  const requestId = `${webhook.sample}-${webhook.deliveryId}-attempt-${attempt}`;
  const json = { "Content-Type": "application/json" };
  switch (webhook.sample) {
    case "stripe": {
      const secret = webhook.forged ? FORGER_SECRET : SIGNING_SECRETS.stripe!;
      const signature = stripe.webhooks.generateTestHeaderString({
        payload: webhook.body,
        secret,
        timestamp: nowSeconds,
      });
      return event("stripe", { ...json, "User-Agent": "Stripe/1.0", "Stripe-Signature": signature });
    }
    case "github": {
      const secret = webhook.forged ? FORGER_SECRET : SIGNING_SECRETS.github!;
      return event("github", {
        ...json,
        "User-Agent": "GitHub-Hookshot/e2e",
        "X-GitHub-Delivery": webhook.deliveryId,
        "X-GitHub-Event": webhook.eventType,
        "X-Hub-Signature-256": octokitSignature(secret, GITHUB_PUSH),
      });
    }
    case "shopify":
      return event("shopify", {
        ...json,
        "X-Shopify-Topic": webhook.eventType,
        "X-Shopify-Event-Id": webhook.deliveryId,
        "X-Shopify-Webhook-Id": `shopify-webhook-${webhook.deliveryId}`,
        "X-Shopify-Hmac-Sha256": hmac(SIGNING_SECRETS.shopify!, webhook.body).toString("base64"),
      });
    case "slack": {
      const timestamp = String(nowSeconds);
      return event("slack", {
        ...json,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": `v0=${hmac(SIGNING_SECRETS.slack!, `v0:${timestamp}:${webhook.body}`).toString("hex")}`,
        ...(attempt > 1 && {
          "X-Slack-Retry-Num": String(attempt - 1),
          "X-Slack-Retry-Reason": "http_error",
        }),
      });
    }
    case "std": {
      // A forgery here keeps a valid signature of another body: the swap must not verify.
      const signedBody = webhook.forged
        ? JSON.stringify({ type: "invoice.paid", data: { amount: 1 } })
        : webhook.body;
      const signature = new StandardWebhook(SIGNING_SECRETS.std!).sign(
        webhook.deliveryId,
        new Date(nowSeconds * 1000),
        signedBody,
      );
      return event("std", {
        ...json,
        "webhook-id": webhook.deliveryId,
        "webhook-timestamp": String(nowSeconds),
        "webhook-signature": signature,
      });
    }
    case "acme": {
      const digest = hmac(SIGNING_SECRETS.acme!, `${nowSeconds}.${webhook.body}`).toString("hex");
      return apiGatewayEvent({
        headers: {
          ...json,
          "X-Provider-ID": "acme",
          "X-Webhook-Id": webhook.deliveryId,
          "X-Webhook-Signature": `t=${nowSeconds},v1=${digest}`,
        },
        body: webhook.body,
        requestId,
      });
    }
    case "discord": {
      const timestamp = String(nowSeconds);
      const key = webhook.forged ? FORGER_KEYS.privateKey : DISCORD_KEYS.privateKey;
      return event("discord", {
        ...json,
        "User-Agent": "Discord-Interactions/1.0 (+https://discord.com)",
        "X-Signature-Timestamp": timestamp,
        "X-Signature-Ed25519": sign(null, Buffer.from(timestamp + webhook.body), key).toString("hex"),
      });
    }
    case "gitlab":
      return event("gitlab", {
        ...json,
        "X-Gitlab-Event": webhook.eventType,
        "X-Gitlab-Event-UUID": `uuid-${webhook.deliveryId}`,
        "Idempotency-Key": webhook.deliveryId,
        "X-Gitlab-Token": SIGNING_SECRETS.gitlab!,
      });
    case "twilio": {
      // A JSON body: Twilio adds the body's SHA-256 to the URL it calls and signs that URL.
      const bodySHA256 = createHash("sha256").update(webhook.body).digest("hex");
      const url = `${TWILIO_URL}?bodySHA256=${bodySHA256}`;
      return apiGatewayEvent({
        provider: "twilio",
        headers: {
          ...json,
          "I-Twilio-Idempotency-Token": webhook.deliveryId,
          "X-Twilio-Signature": createHmac("sha1", SIGNING_SECRETS.twilio!).update(url).digest("base64"),
        },
        query: { bodySHA256 },
        body: webhook.body,
        requestId,
      });
    }
    case "asana": {
      const secret = webhook.forged ? FORGER_SECRET : SIGNING_SECRETS.asana!;
      return event("asana", { ...json, "X-Hook-Signature": hmac(secret, webhook.body).toString("hex") });
    }
  }

  function event(provider: string, headers: Record<string, string>): ValidatorEvent {
    return apiGatewayEvent({ provider, headers, body: webhook.body, requestId });
  }
}

function hmac(secret: string, content: string): Buffer {
  return createHmac("sha256", secret).update(content).digest();
}

/** The raw 32-byte Ed25519 public key in hex, as Discord shows an application's public key. */
function publicKeyHex(key: KeyObject): string {
  return Buffer.from(key.export({ format: "jwk" }).x!, "base64url").toString("hex");
}
