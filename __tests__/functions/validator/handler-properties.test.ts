import fc from "fast-check";
import type { ValidatorEvent } from "../../../functions/validator/request";
import { createHarness, PROVIDERS, signedEvent } from "./support/harness";

const RUNS = { numRuns: 400 };
const providerIds = PROVIDERS.map((provider) => provider.id);

const SECURITY_HEADERS = [
  "X-Provider-ID",
  "x-provider-id",
  "Content-Type",
  "X-Webhook-Signature",
  "X-Webhook-Id",
  "Stripe-Signature",
  "X-Hub-Signature-256",
  "X-GitHub-Delivery",
  "X-Shopify-Hmac-Sha256",
  "X-Slack-Signature",
  "X-Slack-Request-Timestamp",
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
  "svix-signature",
  "__proto__",
  "constructor",
];
const headerName = fc.oneof(fc.constantFrom(...SECURITY_HEADERS), fc.string({ maxLength: 20 }));
const headerValue = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.constantFrom(
    ...providerIds,
    "t=1795521595,v1=00",
    `sha256=${"0".repeat(64)}`,
    `v1,${"A".repeat(43)}=`,
    "",
  ),
);

/** Anything API Gateway could hand over: any route, provider, header lines, body and encoding. */
const arbitraryEvent: fc.Arbitrary<ValidatorEvent> = fc
  .record({
    resource: fc.constantFrom("/webhook", "/webhooks/{provider}", "/webhooks/stripe", "/other"),
    provider: fc.option(fc.oneof(fc.constantFrom(...providerIds), fc.string({ maxLength: 40 }))),
    lines: fc.array(fc.tuple(headerName, headerValue), { maxLength: 12 }),
    body: fc.option(
      fc.oneof(
        fc.string({ maxLength: 400 }),
        fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes).toString("base64")),
      ),
    ),
    isBase64Encoded: fc.boolean(),
    useMultiValue: fc.boolean(),
  })
  .map(({ resource, provider, lines, body, isBase64Encoded, useMultiValue }) => {
    const multiValueHeaders: Record<string, string[]> = {};
    const headers: Record<string, string> = {};
    for (const [name, value] of lines) {
      if (!Object.hasOwn(multiValueHeaders, name))
        Object.defineProperty(multiValueHeaders, name, { value: [], enumerable: true, writable: true });
      multiValueHeaders[name]!.push(value);
      Object.defineProperty(headers, name, { value, enumerable: true, writable: true, configurable: true });
    }
    return {
      resource,
      pathParameters: provider === null ? null : { provider },
      headers,
      multiValueHeaders: useMultiValue ? multiValueHeaders : (null as never),
      body,
      isBase64Encoded,
    };
  });

describe("the handler, end to end over in-memory ports", () => {
  test("never throws and answers any unsigned request with a 4xx", async () => {
    const harness = createHarness();
    await fc.assert(
      fc.asyncProperty(arbitraryEvent, async (event) => {
        const response = await harness.handler(event);
        return response.statusCode >= 400 && response.statusCode < 500 && response.statusCode !== 410;
      }),
      RUNS,
    );
    expect(harness.queue.messages).toHaveLength(0);
  });

  test("answers any correctly signed body with 2xx, 400, 409 (its delivery id taken by another body) or 415, never a 5xx", async () => {
    const harness = createHarness();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...providerIds),
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.jsonValue().map((value) => JSON.stringify(value) ?? ""),
        ),
        fc.constantFrom("application/json", "application/x-www-form-urlencoded", "text/plain", null),
        fc.boolean(),
        async (provider, body, contentType, base64) => {
          const event = signedEvent(provider, {
            body,
            contentType,
            base64: base64 || typeof body !== "string",
          });
          const { statusCode } = await harness.handler(event);
          return [200, 202, 400, 409, 415].includes(statusCode);
        },
      ),
      RUNS,
    );
  });
});
