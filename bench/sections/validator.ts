/**
 * Validator figures: verification cost per preset, by family, against the bare primitive it
 * cannot avoid (an HMAC over the same bytes, an Ed25519, ECDSA or RSA verification, a
 * constant-time comparison), and in-process handler throughput over in-memory ports. Prints
 * numbers only; nothing here asserts a budget.
 */
import {
  createHash,
  createHmac,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  timingSafeEqual,
  verify,
  X509Certificate,
} from "node:crypto";
import { performance } from "node:perf_hooks";
import { headersFrom, type PresetId, presetById, type SchemeOptions } from "@webhooks/shared";
import {
  PAYPAL_CERT_URL,
  PAYPAL_CHAIN,
  PAYPAL_LEAF_KEY,
  PAYPAL_NOW,
} from "../../__tests__/functions/shared/support/independent-signers";
import { createHarness, signedEvent, T0_SECONDS } from "../../__tests__/functions/validator/support/harness";
import { crc32 } from "../../functions/shared/schemes/modules/paypal";
import { median } from "../support/measure";

/** ns per call of `fn`, median of `rounds` timed rounds of `iterations` calls each. */
function nsPerOp(fn: () => unknown, iterations: number, rounds: number): number {
  for (let i = 0; i < iterations; i++) fn();
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) fn();
    samples.push(((performance.now() - start) * 1e6) / iterations);
  }
  return median(samples);
}

interface Case {
  readonly preset: PresetId;
  /** What the bare primitive is, for the table. */
  readonly bare: string;
  /** A signed request (headers and body) and how to verify it. */
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly secret: string;
  readonly options?: SchemeOptions;
  readonly now?: number;
  readonly primitive: () => unknown;
}

const PUBLIC_URL = "https://hooks.example.com/webhooks/provider";
const KEY = "bench-secret-0123456789";
const hmac =
  (algorithm: string, key: string | Buffer | KeyObject, ...parts: (string | Buffer)[]) =>
  () => {
    const mac = createHmac(algorithm, key);
    for (const part of parts) mac.update(part);
    return mac.digest();
  };

function hmacCase(preset: PresetId, body: Buffer, secret = KEY, options: SchemeOptions = {}): Case {
  const scheme = presetById(preset);
  const headers = scheme.sign(
    { body, secrets: [secret], timestamp: T0_SECONDS - 5, id: "msg_bench" },
    options,
  );
  const key = scheme.key(secret);
  if (!key.ok) throw new Error(`${preset} key`);
  const algorithm = preset === "trello" ? "sha1" : "sha256";
  return {
    preset,
    bare: `HMAC-${algorithm.toUpperCase()}`,
    headers,
    body,
    secret,
    options,
    primitive: hmac(algorithm, key.key, body),
  };
}

function cases(): Case[] {
  const body = randomBytes(1024);
  const json = Buffer.from(JSON.stringify({ id: "evt_bench", type: "invoice.paid", pad: "x".repeat(960) }));
  const whsec = `whsec_${randomBytes(32).toString("base64")}`;
  const ed = generateKeyPairSync("ed25519");
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const edSeed = (ed.privateKey.export({ format: "der", type: "pkcs8" }) as Buffer)
    .subarray(-32)
    .toString("hex");
  const edPublic = (ed.publicKey.export({ format: "der", type: "spki" }) as Buffer)
    .subarray(-32)
    .toString("hex");
  const ecPublic = (ec.publicKey.export({ format: "der", type: "spki" }) as Buffer).toString("base64");
  const ecPem = ec.privateKey.export({ format: "pem", type: "pkcs8" }) as string;
  const message = Buffer.concat([Buffer.from(String(T0_SECONDS - 5)), json]);
  const discordSignature = Buffer.from(
    presetById("discord").sign({ body: json, secrets: [edSeed], timestamp: T0_SECONDS - 5 })[
      "X-Signature-Ed25519"
    ]!,
    "hex",
  );
  const sendgridHeaders = presetById("sendgrid").sign({
    body: json,
    secrets: [ecPem],
    timestamp: T0_SECONDS - 5,
  });
  const sendgridSignature = Buffer.from(sendgridHeaders["X-Twilio-Email-Event-Webhook-Signature"]!, "base64");
  const form = Buffer.from(
    new URLSearchParams({ CallSid: "CA1", CallStatus: "completed", Body: "x".repeat(900) }).toString(),
  );
  const token = "gitlab-token-0123456789abcdef";
  const tokenDigest = createHash("sha256").update(token).digest();
  const paypalHeaders = presetById("paypal").sign({
    body: json,
    secrets: ["8PT597110X687430LKGECATA"],
    timestamp: PAYPAL_NOW - 5,
    privateKey: PAYPAL_LEAF_KEY,
    keyId: PAYPAL_CERT_URL,
  });
  const leafKey = new X509Certificate(PAYPAL_CHAIN).publicKey;
  const paypalSigned = Buffer.from(
    `${paypalHeaders["PAYPAL-TRANSMISSION-ID"]}|${paypalHeaders["PAYPAL-TRANSMISSION-TIME"]}|8PT597110X687430LKGECATA|${crc32(json)}`,
  );
  const paypalSignature = Buffer.from(paypalHeaders["PAYPAL-TRANSMISSION-SIG"]!, "base64");
  return [
    hmacCase("generic", body),
    hmacCase("stripe", body),
    hmacCase("github", body),
    hmacCase("shopify", body),
    hmacCase("slack", body),
    hmacCase("standard-webhooks", body, whsec),
    hmacCase("hubspot", json, KEY, { publicUrl: PUBLIC_URL }),
    hmacCase("twitch", body),
    hmacCase("box", body),
    hmacCase("trello", body, KEY, { publicUrl: PUBLIC_URL }),
    {
      preset: "discord",
      bare: "Ed25519 verify",
      headers: presetById("discord").sign({ body: json, secrets: [edSeed], timestamp: T0_SECONDS - 5 }),
      body: json,
      secret: edPublic,
      primitive: () => verify(null, message, ed.publicKey, discordSignature),
    },
    {
      preset: "sendgrid",
      bare: "ECDSA P-256 verify",
      headers: sendgridHeaders,
      body: json,
      secret: ecPublic,
      primitive: () => verify("sha256", message, ec.publicKey, sendgridSignature),
    },
    {
      preset: "gitlab",
      bare: "SHA-256 + timingSafeEqual",
      headers: { "X-Gitlab-Token": token, "X-Gitlab-Event": "Push Hook" },
      body: json,
      secret: token,
      primitive: () => timingSafeEqual(createHash("sha256").update(token).digest(), tokenDigest),
    },
    {
      preset: "twilio",
      bare: "HMAC-SHA1",
      headers: {
        ...presetById("twilio").sign({ body: form, secrets: [KEY], timestamp: 0 }, { publicUrl: PUBLIC_URL }),
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: form,
      secret: KEY,
      options: { publicUrl: PUBLIC_URL },
      primitive: hmac("sha1", KEY, PUBLIC_URL, form),
    },
    {
      preset: "netlify",
      bare: "SHA-256 + HMAC-SHA256",
      headers: presetById("netlify").sign({ body: json, secrets: [KEY], timestamp: 0 }),
      body: json,
      secret: KEY,
      primitive: () => [createHash("sha256").update(json).digest(), hmac("sha256", KEY, "header.payload")()],
    },
    {
      preset: "contentful",
      bare: "HMAC-SHA256",
      headers: presetById("contentful").sign(
        { body: json, secrets: [KEY], timestamp: T0_SECONDS - 5 },
        { publicUrl: PUBLIC_URL },
      ),
      body: json,
      secret: KEY,
      options: { publicUrl: PUBLIC_URL },
      primitive: hmac("sha256", KEY, "POST\n/webhooks/provider\nheaders\n", json),
    },
    {
      preset: "paypal",
      bare: "RSA-2048 verify",
      headers: paypalHeaders,
      body: json,
      secret: "8PT597110X687430LKGECATA",
      options: { externalKey: PAYPAL_CHAIN },
      now: PAYPAL_NOW,
      primitive: () => verify("sha256", paypalSigned, leafKey, paypalSignature),
    },
  ];
}

export function benchVerification(): void {
  console.log("\n## Signature verification by preset family, ~1 KB body, one active secret (median ns/op)");
  console.log("family      preset              verify ns   bare ns   ratio   bare primitive");
  for (const c of cases()) {
    const scheme = presetById(c.preset);
    const request = { headers: headersFrom(c.headers), body: c.body };
    const now = c.now ?? T0_SECONDS;
    const verified = scheme.verify(request, [c.secret], now, c.options);
    if (!verified.ok) throw new Error(`${c.preset} did not verify: ${verified.reason}`);
    // Interleave the two measurements so drift (JIT, frequency scaling) hits both alike.
    const verifySamples: number[] = [];
    const bareSamples: number[] = [];
    const iterations = scheme.family === "asymmetric" || c.preset === "paypal" ? 2_000 : 20_000;
    for (let round = 0; round < 7; round++) {
      verifySamples.push(nsPerOp(() => scheme.verify(request, [c.secret], now, c.options), iterations, 1));
      bareSamples.push(nsPerOp(c.primitive, iterations, 1));
    }
    const verifyNs = median(verifySamples);
    const bareNs = median(bareSamples);
    console.log(
      `${scheme.family.padEnd(11)} ${c.preset.padEnd(18)} ${verifyNs.toFixed(0).padStart(10)} ${bareNs.toFixed(0).padStart(9)} ${(verifyNs / bareNs).toFixed(2).padStart(6)}×   ${c.bare}`,
    );
  }
}

export async function benchValidatorThroughput(): Promise<void> {
  const harness = createHarness();
  const count = 20_000;
  const pad = "x".repeat(900);
  // Distinct deliveries (no duplicates), 1 KB each, signed before the clock starts.
  const events = Array.from({ length: count }, (_, index) =>
    signedEvent("acme", {
      body: `{"type":"order.created","n":${index},"pad":"${pad}"}`,
      identity: { "X-Webhook-Id": `bench-${index}` },
    }),
  );
  for (const event of events.slice(0, 2_000)) await harness.handler(event);
  const start = performance.now();
  for (const event of events.slice(2_000)) await harness.handler(event);
  const seconds = (performance.now() - start) / 1000;
  const accepted = harness.queue.messages.length;
  console.log("\n## Validator handler, in-process, in-memory ports, 1 KB generic deliveries, one at a time");
  console.log(`${((count - 2_000) / seconds).toFixed(0)} requests/s (${accepted} of ${count} accepted)`);
}
