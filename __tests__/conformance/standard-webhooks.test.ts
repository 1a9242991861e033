import { verifyWebhook } from "@clerk/backend/webhooks";
import { type PresetId, presetById } from "@webhooks/shared";
import { Resend } from "resend";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import {
  changedAmount,
  conformance,
  type Delivery,
  EVENT,
  inHeader,
  noMatch,
  verdict,
} from "./support/harness";

/** Standard Webhooks and the Svix-operated senders: `<prefix>-id`, `-timestamp`, `-signature`. */
const SECRET = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
const OTHER_SECRET = `whsec_${Buffer.alloc(32, 9).toString("base64")}`;
const MESSAGE_ID = "msg_2ZqYl1yN6Tg0cE";

type Prefix = "webhook" | "svix";
type Signer = (id: string, timestamp: Date, payload: string) => string;

function signedBy(sign: Signer, prefix: Prefix, timestamp: number): Delivery {
  return {
    body: EVENT,
    headers: {
      [`${prefix}-id`]: MESSAGE_ID,
      [`${prefix}-timestamp`]: String(timestamp),
      [`${prefix}-signature`]: sign(MESSAGE_ID, new Date(timestamp * 1000), EVENT),
    },
  };
}

function engineSigned(preset: PresetId, timestamp: number): Delivery {
  const headers = presetById(preset).sign({ body: EVENT, secrets: [SECRET], timestamp, id: MESSAGE_ID });
  return { body: EVENT, headers };
}

/** The reasons every preset of the family gives, by header prefix. */
function reasons(prefix: Prefix) {
  return {
    tamperedBody: noMatch(`${prefix}-signature`),
    tamperedSignature: noMatch(`${prefix}-signature`),
    otherSecret: noMatch(`${prefix}-signature`),
    stale: (signedAt: number) => `${prefix}-timestamp ${signedAt} is 301 s old (tolerance 300 s)`,
  };
}

const standardSign: Signer = (id, at, payload) => new StandardWebhook(SECRET).sign(id, at, payload);
const standardAccepts = (delivery: Delivery, secret: string) =>
  verdict(() => new StandardWebhook(secret).verify(delivery.body, delivery.headers));

for (const preset of ["standard-webhooks", "gitlab-signing"] as const) {
  conformance({
    preset,
    library: "standardwebhooks@1.1.1 Webhook#sign / Webhook#verify",
    secret: SECRET,
    otherSecret: OTHER_SECRET,
    librarySigned: (timestamp) => signedBy(standardSign, "webhook", timestamp),
    engineSigned: (timestamp) => engineSigned(preset, timestamp),
    libraryAccepts: standardAccepts,
    tamperBody: changedAmount,
    tamperSignature: inHeader("webhook-signature"),
    reasons: reasons("webhook"),
    toleranceSeconds: 300,
  });
}

const svixSign: Signer = (id, at, payload) => new SvixWebhook(SECRET).sign(id, at, payload);
const svixAccepts = (delivery: Delivery, secret: string) =>
  verdict(() => new SvixWebhook(secret).verify(delivery.body, delivery.headers));

for (const preset of ["svix", "stytch"] as const) {
  conformance({
    preset,
    library: "svix@1.99.1 Webhook#sign / Webhook#verify",
    secret: SECRET,
    otherSecret: OTHER_SECRET,
    librarySigned: (timestamp) => signedBy(svixSign, "svix", timestamp),
    engineSigned: (timestamp) => engineSigned(preset, timestamp),
    libraryAccepts: svixAccepts,
    tamperBody: changedAmount,
    tamperSignature: inHeader("svix-signature"),
    reasons: reasons("svix"),
    toleranceSeconds: 300,
  });
}

// Clerk's SDK only verifies (it wraps standardwebhooks, mapping svix-* onto webhook-*); Svix signs.
conformance({
  preset: "clerk",
  library: "@clerk/backend@3.25.0 verifyWebhook (signed by svix@1.99.1)",
  secret: SECRET,
  otherSecret: OTHER_SECRET,
  librarySigned: (timestamp) => signedBy(svixSign, "svix", timestamp),
  engineSigned: (timestamp) => engineSigned("clerk", timestamp),
  libraryAccepts: (delivery, secret) =>
    verdict(() =>
      verifyWebhook(
        new Request("https://hooks.example.com/v1/webhooks/clerk", {
          method: "POST",
          headers: delivery.headers,
          body: delivery.body,
        }),
        { signingSecret: secret },
      ),
    ),
  tamperBody: changedAmount,
  tamperSignature: inHeader("svix-signature"),
  reasons: reasons("svix"),
  toleranceSeconds: 300,
});

// Resend's SDK only verifies, from the three svix-* values; Svix signs.
const resend = new Resend("re_conformance");
conformance({
  preset: "resend",
  library: "resend@6.38.0 webhooks.verify (signed by svix@1.99.1)",
  secret: SECRET,
  otherSecret: OTHER_SECRET,
  librarySigned: (timestamp) => signedBy(svixSign, "svix", timestamp),
  engineSigned: (timestamp) => engineSigned("resend", timestamp),
  libraryAccepts: (delivery, secret) =>
    verdict(() =>
      resend.webhooks.verify({
        payload: delivery.body,
        headers: {
          id: delivery.headers["svix-id"]!,
          timestamp: delivery.headers["svix-timestamp"]!,
          signature: delivery.headers["svix-signature"]!,
        },
        webhookSecret: secret,
      }),
    ),
  tamperBody: changedAmount,
  tamperSignature: inHeader("svix-signature"),
  reasons: reasons("svix"),
  toleranceSeconds: 300,
});
