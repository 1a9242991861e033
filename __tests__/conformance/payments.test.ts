import HmacValidator from "@adyen/api-library/lib/src/utils/hmacValidator";
import { Paddle } from "@paddle/paddle-node-sdk";
import { type PresetId, presetById, type SchemeOptions } from "@webhooks/shared";
import braintree from "braintree";
import Razorpay from "razorpay";
import { WebhooksHelper } from "square";
import Stripe from "stripe";
import {
  changedAmount,
  changedSignature,
  conformance,
  type Delivery,
  EVENT,
  inHeader,
  noMatch,
  verdict,
} from "./support/harness";

/** The engine's delivery of `body` for a preset that signs in headers. */
function engineSigned(
  preset: PresetId,
  secret: string,
  timestamp: number,
  options?: SchemeOptions,
): Delivery {
  return {
    body: EVENT,
    headers: presetById(preset).sign({ body: EVENT, secrets: [secret], timestamp }, options),
  };
}

const stripe = new Stripe("sk_test_conformance");

conformance({
  preset: "stripe",
  library: "stripe@23.1.0 webhooks.generateTestHeaderString / constructEvent",
  secret: "whsec_conformance",
  otherSecret: "whsec_other",
  librarySigned: (timestamp) => ({
    body: EVENT,
    headers: {
      "Stripe-Signature": stripe.webhooks.generateTestHeaderString({
        payload: EVENT,
        secret: "whsec_conformance",
        timestamp,
      }),
    },
  }),
  engineSigned: (timestamp) => engineSigned("stripe", "whsec_conformance", timestamp),
  libraryAccepts: (delivery, secret) =>
    verdict(() =>
      stripe.webhooks.constructEvent(delivery.body, delivery.headers["Stripe-Signature"]!, secret),
    ),
  tamperBody: changedAmount,
  tamperSignature: inHeader("Stripe-Signature"),
  reasons: {
    tamperedBody: noMatch("Stripe-Signature"),
    tamperedSignature: noMatch("Stripe-Signature"),
    otherSecret: noMatch("Stripe-Signature"),
    stale: (signedAt) => `Stripe-Signature: t= ${signedAt} is 301 s old (tolerance 300 s)`,
  },
  toleranceSeconds: 300,
});

// Square signs the notification URL as configured in the subscription, then the body.
const SQUARE_URL = "https://hooks.example.com/v1/webhooks/square?tenant=acme";
conformance({
  preset: "square",
  library: "square@46.0.0 WebhooksHelper.verifySignature",
  options: { publicUrl: SQUARE_URL },
  secret: "square-signature-key",
  otherSecret: "square-other-key",
  engineSigned: (timestamp) =>
    engineSigned("square", "square-signature-key", timestamp, { publicUrl: SQUARE_URL }),
  libraryAccepts: (delivery, secret) =>
    WebhooksHelper.verifySignature({
      requestBody: delivery.body,
      signatureHeader: delivery.headers["x-square-hmacsha256-signature"]!,
      signatureKey: secret,
      notificationUrl: SQUARE_URL,
    }),
  tamperBody: changedAmount,
  tamperSignature: inHeader("x-square-hmacsha256-signature"),
  reasons: {
    tamperedBody: noMatch("x-square-hmacsha256-signature"),
    tamperedSignature: noMatch("x-square-hmacsha256-signature"),
    otherSecret: noMatch("x-square-hmacsha256-signature"),
  },
});

const paddle = new Paddle("pdl_sdbx_apikey_conformance");
conformance({
  preset: "paddle",
  library: "@paddle/paddle-node-sdk@3.10.0 webhooks.isSignatureValid",
  secret: "pdl_ntfset_01conformance",
  otherSecret: "pdl_ntfset_01other",
  engineSigned: (timestamp) => engineSigned("paddle", "pdl_ntfset_01conformance", timestamp),
  // The SDK allows 5 s of skew: the deliveries here are signed the same second.
  libraryAccepts: (delivery, secret) =>
    verdict(() =>
      paddle.webhooks.isSignatureValid(delivery.body, secret, delivery.headers["Paddle-Signature"]!),
    ),
  tamperBody: changedAmount,
  tamperSignature: inHeader("Paddle-Signature"),
  reasons: {
    tamperedBody: noMatch("Paddle-Signature"),
    tamperedSignature: noMatch("Paddle-Signature"),
    otherSecret: noMatch("Paddle-Signature"),
    stale: (signedAt) => `Paddle-Signature: ts= ${signedAt} is 301 s old (tolerance 300 s)`,
  },
  toleranceSeconds: 300,
});

conformance({
  preset: "razorpay",
  library: "razorpay@2.9.8 validateWebhookSignature",
  secret: "razorpay-webhook-secret",
  otherSecret: "razorpay-other-secret",
  engineSigned: (timestamp) => engineSigned("razorpay", "razorpay-webhook-secret", timestamp),
  libraryAccepts: (delivery, secret) =>
    verdict(() =>
      Razorpay.validateWebhookSignature(delivery.body, delivery.headers["X-Razorpay-Signature"]!, secret),
    ),
  tamperBody: changedAmount,
  tamperSignature: inHeader("X-Razorpay-Signature"),
  reasons: {
    tamperedBody: noMatch("X-Razorpay-Signature"),
    tamperedSignature: noMatch("X-Razorpay-Signature"),
    otherSecret: noMatch("X-Razorpay-Signature"),
  },
});

const adyen = new HmacValidator();
// Adyen's documented test key; the item is the shape of Adyen's standard notification.
const ADYEN_KEY = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";
const ADYEN_OTHER_KEY = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF";
const adyenItem = () => ({
  amount: { value: 1130, currency: "EUR" },
  pspReference: "7914073381342284",
  eventCode: "AUTHORISATION",
  merchantAccountCode: "TestMerchant",
  merchantReference: "TestPayment-1407325143704",
  paymentMethod: "visa",
  success: "true",
});
const adyenNotification = (items: object[]) =>
  JSON.stringify({
    live: "false",
    notificationItems: items.map((item) => ({ NotificationRequestItem: item })),
  });
const adyenItems = (body: string): Record<string, unknown>[] =>
  (
    JSON.parse(body) as { notificationItems: { NotificationRequestItem: Record<string, unknown> }[] }
  ).notificationItems.map((entry) => entry.NotificationRequestItem);

conformance({
  preset: "adyen",
  library: "@adyen/api-library@32.1.0 HmacValidator.calculateHmac / validateHMAC",
  secret: ADYEN_KEY,
  otherSecret: ADYEN_OTHER_KEY,
  librarySigned: () => {
    const item = adyenItem();
    const hmacSignature = adyen.calculateHmac(item as never, ADYEN_KEY);
    return { body: adyenNotification([{ ...item, additionalData: { hmacSignature } }]), headers: {} };
  },
  engineSigned: (timestamp) =>
    presetById("adyen").signBody!({
      body: adyenNotification([adyenItem()]),
      secrets: [ADYEN_KEY],
      timestamp,
    }),
  libraryAccepts: async (delivery, secret) => {
    const verdicts = adyenItems(delivery.body).map((item) =>
      verdict(() => adyen.validateHMAC(item as never, secret)),
    );
    return (await Promise.all(verdicts)).every(Boolean);
  },
  tamperBody: (delivery) => ({ ...delivery, body: delivery.body.replace('"value":1130', '"value":11300') }),
  tamperSignature: (delivery) => {
    const [item] = adyenItems(delivery.body);
    const additional = item!.additionalData as { hmacSignature: string };
    return {
      ...delivery,
      body: delivery.body.replace(additional.hmacSignature, changedSignature(additional.hmacSignature)),
    };
  },
  reasons: {
    tamperedBody: noMatch("notification item #1"),
    tamperedSignature: noMatch("notification item #1"),
    otherSecret: noMatch("notification item #1"),
  },
});

const ADYEN_PLATFORM_BODY =
  '{"type":"balancePlatform.accountHolder.created","data":{"id":"AH1","note":"héllo ✓"}}';
conformance({
  preset: "adyen-platform",
  library: "@adyen/api-library@32.1.0 HmacValidator.calculateHmacSignature / validateHMACSignature",
  secret: ADYEN_KEY,
  otherSecret: ADYEN_OTHER_KEY,
  librarySigned: () => ({
    body: ADYEN_PLATFORM_BODY,
    headers: { HmacSignature: adyen.calculateHmacSignature(ADYEN_PLATFORM_BODY, ADYEN_KEY) },
  }),
  engineSigned: (timestamp) => ({
    body: ADYEN_PLATFORM_BODY,
    headers: presetById("adyen-platform").sign({
      body: ADYEN_PLATFORM_BODY,
      secrets: [ADYEN_KEY],
      timestamp,
    }),
  }),
  libraryAccepts: async (delivery, secret) =>
    adyen.validateHMACSignature(secret, delivery.headers.HmacSignature!, delivery.body),
  tamperBody: (delivery) => ({ ...delivery, body: delivery.body.replace('"AH1"', '"AH2"') }),
  tamperSignature: inHeader("HmacSignature"),
  reasons: {
    tamperedBody: noMatch("HmacSignature"),
    tamperedSignature: noMatch("HmacSignature"),
    otherSecret: noMatch("HmacSignature"),
  },
});

// The gateway only holds keys: nothing here reaches Braintree's servers.
const braintreeGateway = new braintree.BraintreeGateway({
  environment: braintree.Environment.Sandbox,
  merchantId: "conformance-merchant",
  publicKey: "pubkey1",
  privateKey: "privkey-braintree",
});
const btForm = (fields: { bt_signature: string; bt_payload: string }): Delivery => ({
  body: new URLSearchParams(fields).toString(),
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
});
const btFields = (delivery: Delivery) => {
  const form = new URLSearchParams(delivery.body);
  return { bt_signature: form.get("bt_signature")!, bt_payload: form.get("bt_payload")! };
};
const SUBSCRIPTION_CHARGED = "subscription_charged_successfully";
// Public methods of the gateways that @types/braintree leaves out.
const sampleXml = (kind: string, id: string): string =>
  (braintreeGateway.webhookTesting as unknown as { sampleXml(kind: string, id: string): string }).sampleXml(
    kind,
    id,
  );
const challengeAnswer = (challenge: string): string =>
  (braintreeGateway.webhookNotification as unknown as { verify(challenge: string): string }).verify(
    challenge,
  );

conformance({
  preset: "braintree",
  library: "braintree@3.40.0 webhookTesting.sampleNotification / webhookNotification.parse",
  secret: "pubkey1:privkey-braintree",
  otherSecret: "pubkey1:another-private-key",
  librarySigned: async () =>
    btForm(await braintreeGateway.webhookTesting.sampleNotification(SUBSCRIPTION_CHARGED, "sub_1")),
  engineSigned: (timestamp) =>
    presetById("braintree").signBody!({
      body: sampleXml(SUBSCRIPTION_CHARGED, "sub_1"),
      secrets: ["pubkey1:privkey-braintree"],
      timestamp,
    }),
  libraryAccepts: (delivery, secret) => {
    const [publicKey, privateKey] = secret.split(":") as [string, string];
    const gateway = new braintree.BraintreeGateway({
      environment: braintree.Environment.Sandbox,
      merchantId: "conformance-merchant",
      publicKey,
      privateKey,
    });
    const { bt_signature, bt_payload } = btFields(delivery);
    return verdict(() => gateway.webhookNotification.parse(bt_signature, bt_payload));
  },
  tamperBody: (delivery) => {
    const fields = btFields(delivery);
    return btForm({ ...fields, bt_payload: changedSignature(fields.bt_payload, 20) });
  },
  tamperSignature: (delivery) => {
    const fields = btFields(delivery);
    return btForm({ ...fields, bt_signature: changedSignature(fields.bt_signature) });
  },
  reasons: {
    tamperedBody: noMatch("bt_signature"),
    tamperedSignature: noMatch("bt_signature"),
    otherSecret: noMatch("bt_signature"),
  },
});

test("braintree: the engine answers bt_challenge as the library's webhookNotification.verify does", () => {
  const challenge = "20f9f8ed05f77439fe955c977e4c8a53";
  const answer = presetById("braintree").answerHandshake("before-verification", {
    request: {
      headers: new Map(),
      body: new Uint8Array(),
      method: "GET",
      query: new Map([["bt_challenge", challenge]]),
    },
    secrets: ["pubkey1:privkey-braintree"],
  });
  expect(answer?.body).toBe(challengeAnswer(challenge));
});
