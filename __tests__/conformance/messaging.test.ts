import { createHash, generateKeyPairSync, type KeyObject } from "node:crypto";
import { EventWebhook } from "@sendgrid/eventwebhook";
import { verifySlackRequest } from "@slack/bolt";
import { presetById } from "@webhooks/shared";
import { verifyKey } from "discord-interactions";
import twilio from "twilio";
import { changedAmount, conformance, EVENT, inBody, inHeader, noMatch, verdict } from "./support/harness";

// Slack's SDKs only verify; the engine signs and Bolt's check is the judge.
conformance({
  preset: "slack",
  library: "@slack/bolt@5.1.0 verifySlackRequest",
  secret: "slack-signing-secret",
  otherSecret: "slack-other-secret",
  engineSigned: (timestamp) => ({
    body: EVENT,
    headers: presetById("slack").sign({ body: EVENT, secrets: ["slack-signing-secret"], timestamp }),
  }),
  libraryAccepts: (delivery, secret) =>
    verdict(() =>
      verifySlackRequest({
        signingSecret: secret,
        body: delivery.body,
        headers: {
          "x-slack-signature": delivery.headers["X-Slack-Signature"]!,
          "x-slack-request-timestamp": Number(delivery.headers["X-Slack-Request-Timestamp"]),
        },
      }),
    ),
  tamperBody: changedAmount,
  tamperSignature: inHeader("X-Slack-Signature"),
  reasons: {
    tamperedBody: noMatch("X-Slack-Signature"),
    tamperedSignature: noMatch("X-Slack-Signature"),
    otherSecret: noMatch("X-Slack-Signature"),
    stale: (signedAt) => `X-Slack-Request-Timestamp ${signedAt} is 301 s old (tolerance 300 s)`,
  },
  toleranceSeconds: 300,
});

// Twilio signs the URL it calls: the configured one, query included.
const TWILIO_URL = "https://hooks.example.com/v1/webhooks/twilio?tenant=acme";
const TWILIO_TOKEN = "twilio-auth-token-0123456789abcdef";
const TWILIO_OTHER_TOKEN = "twilio-auth-token-fedcba9876543210";
const CALL_FORM = new URLSearchParams({
  CallSid: "CA1",
  CallStatus: "completed",
  From: "+12349013030",
  To: "+18005551212",
  Digits: "1234",
}).toString();
const paramsOf = (body: string) => Object.fromEntries(new URLSearchParams(body));

conformance({
  preset: "twilio",
  library: "twilio@6.2.0 getExpectedTwilioSignature / validateRequest (form parameters)",
  options: { publicUrl: TWILIO_URL },
  secret: TWILIO_TOKEN,
  otherSecret: TWILIO_OTHER_TOKEN,
  librarySigned: () => ({
    body: CALL_FORM,
    headers: {
      "X-Twilio-Signature": twilio.getExpectedTwilioSignature(TWILIO_TOKEN, TWILIO_URL, paramsOf(CALL_FORM)),
      "Content-Type": "application/x-www-form-urlencoded",
    },
  }),
  engineSigned: (timestamp) => ({
    body: CALL_FORM,
    headers: {
      ...presetById("twilio").sign(
        { body: CALL_FORM, secrets: [TWILIO_TOKEN], timestamp },
        { publicUrl: TWILIO_URL },
      ),
      "Content-Type": "application/x-www-form-urlencoded",
    },
  }),
  libraryAccepts: async (delivery, secret) =>
    twilio.validateRequest(
      secret,
      delivery.headers["X-Twilio-Signature"]!,
      TWILIO_URL,
      paramsOf(delivery.body),
    ),
  tamperBody: inBody("Digits=1234", "Digits=1235"),
  tamperSignature: inHeader("X-Twilio-Signature"),
  reasons: {
    tamperedBody: noMatch("X-Twilio-Signature"),
    tamperedSignature: noMatch("X-Twilio-Signature"),
    otherSecret: noMatch("X-Twilio-Signature"),
  },
});

// JSON bodies: Twilio signs the URL with the body's SHA-256 appended as `bodySHA256`.
const withBodyHash = (body: string) => `${TWILIO_URL}&bodySHA256=${twilio.getExpectedBodyHash(body)}`;
conformance({
  preset: "twilio",
  library: "twilio@6.2.0 getExpectedTwilioSignature / validateRequestWithBody (JSON body)",
  options: { publicUrl: TWILIO_URL },
  secret: TWILIO_TOKEN,
  otherSecret: TWILIO_OTHER_TOKEN,
  librarySigned: () => ({
    body: EVENT,
    headers: {
      "X-Twilio-Signature": twilio.getExpectedTwilioSignature(TWILIO_TOKEN, withBodyHash(EVENT), {}),
      "Content-Type": "application/json",
    },
  }),
  engineSigned: (timestamp) => ({
    body: EVENT,
    headers: {
      ...presetById("twilio").sign(
        { body: EVENT, secrets: [TWILIO_TOKEN], timestamp },
        { publicUrl: TWILIO_URL },
      ),
      "Content-Type": "application/json",
    },
  }),
  libraryAccepts: async (delivery, secret) =>
    twilio.validateRequestWithBody(
      secret,
      delivery.headers["X-Twilio-Signature"]!,
      withBodyHash(EVENT),
      delivery.body,
    ),
  tamperBody: changedAmount,
  tamperSignature: inHeader("X-Twilio-Signature"),
  reasons: {
    tamperedBody: noMatch("X-Twilio-Signature"),
    tamperedSignature: noMatch("X-Twilio-Signature"),
    otherSecret: noMatch("X-Twilio-Signature"),
  },
});

/** A key pair whose private half signs (the sender's) and whose public half the provider stores. */
const spkiBase64 = (key: KeyObject) =>
  (key.export({ format: "der", type: "spki" }) as Buffer).toString("base64");
const ecdsa = generateKeyPairSync("ec", { namedCurve: "P-256" });
const otherEcdsa = generateKeyPairSync("ec", { namedCurve: "P-256" });
const ECDSA_PRIVATE_PEM = ecdsa.privateKey.export({ format: "pem", type: "pkcs8" }) as string;
const pem = (spki: string) => `-----BEGIN PUBLIC KEY-----\n${spki}\n-----END PUBLIC KEY-----\n`;
const sendgrid = new EventWebhook();
const SENDGRID_EVENTS =
  '[{"email":"ada@example.com","event":"delivered","sg_event_id":"ZGVsaXZlcmVk","timestamp":1700000000,"note":"héllo ✓"}]';

// SendGrid's library only verifies (P-256 ECDSA); the engine signs with the sender's private key.
conformance({
  preset: "sendgrid",
  library: "@sendgrid/eventwebhook@8.0.0 EventWebhook#verifySignature",
  secret: spkiBase64(ecdsa.publicKey),
  otherSecret: spkiBase64(otherEcdsa.publicKey),
  engineSigned: (timestamp) => ({
    body: SENDGRID_EVENTS,
    headers: presetById("sendgrid").sign({ body: SENDGRID_EVENTS, secrets: [ECDSA_PRIVATE_PEM], timestamp }),
  }),
  libraryAccepts: (delivery, secret) =>
    verdict(() =>
      sendgrid.verifySignature(
        sendgrid.convertPublicKeyToECDSA(pem(secret)),
        delivery.body,
        delivery.headers["X-Twilio-Email-Event-Webhook-Signature"]!,
        delivery.headers["X-Twilio-Email-Event-Webhook-Timestamp"]!,
      ),
    ),
  tamperBody: inBody('"event":"delivered"', '"event":"bounce"'),
  tamperSignature: inHeader("X-Twilio-Email-Event-Webhook-Signature"),
  reasons: {
    tamperedBody: noMatch("X-Twilio-Email-Event-Webhook-Signature"),
    tamperedSignature: noMatch("X-Twilio-Email-Event-Webhook-Signature"),
    otherSecret: noMatch("X-Twilio-Email-Event-Webhook-Signature"),
    stale: (signedAt) => `X-Twilio-Email-Event-Webhook-Timestamp ${signedAt} is 601 s old (tolerance 600 s)`,
  },
  toleranceSeconds: 600,
});

const ed25519 = generateKeyPairSync("ed25519");
const rawEd25519 = (key: KeyObject) => (key.export({ format: "der", type: "spki" }) as Buffer).subarray(-32);
const ED25519_SEED_HEX = (ed25519.privateKey.export({ format: "der", type: "pkcs8" }) as Buffer)
  .subarray(-32)
  .toString("hex");
const INTERACTION = '{"id":"1234567890","type":2,"data":{"name":"héllo ✓"},"token":"tok"}';

// discord-interactions only verifies (Ed25519); the engine signs with the application's private key.
conformance({
  preset: "discord",
  library: "discord-interactions@4.4.0 verifyKey",
  secret: rawEd25519(ed25519.publicKey).toString("hex"),
  otherSecret: rawEd25519(generateKeyPairSync("ed25519").publicKey).toString("hex"),
  engineSigned: (timestamp) => ({
    body: INTERACTION,
    headers: presetById("discord").sign({ body: INTERACTION, secrets: [ED25519_SEED_HEX], timestamp }),
  }),
  libraryAccepts: (delivery, secret) =>
    verifyKey(
      delivery.body,
      delivery.headers["X-Signature-Ed25519"]!,
      delivery.headers["X-Signature-Timestamp"]!,
      secret,
    ),
  tamperBody: inBody('"type":2', '"type":3'),
  tamperSignature: inHeader("X-Signature-Ed25519"),
  reasons: {
    tamperedBody: noMatch("X-Signature-Ed25519"),
    tamperedSignature: noMatch("X-Signature-Ed25519"),
    otherSecret: noMatch("X-Signature-Ed25519"),
    stale: (signedAt) => `X-Signature-Timestamp ${signedAt} is 301 s old (tolerance 300 s)`,
  },
  toleranceSeconds: 300,
});

test("twilio: the body hash Twilio appends is the SHA-256 hex the engine computes", () => {
  expect(twilio.getExpectedBodyHash(EVENT)).toBe(createHash("sha256").update(EVENT).digest("hex"));
});
