import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyResult } from "aws-lambda";
import { API_GATEWAY_MAX_PAYLOAD_BYTES, webhookApiListener } from "../../cli/src/dev/api";
import { webhookEndpoints } from "../../constructs/ingress";
import type { ValidatorEvent } from "../../functions/validator/request";
import { DEFAULT_CONFIG } from "../../stacks/config";

// The local API's own answers (WAF and API Gateway), before the validator; the validator here is a
// stub that records what it is given, so each case shows whether the function would be invoked.

const MAX_BODY_BYTES = 1_000;
const API_KEY = "local-api-key";

let server: Server;
let base: string;
const invocations: ValidatorEvent[] = [];
let answer: APIGatewayProxyResult = {
  statusCode: 202,
  headers: { "Content-Type": "application/json" },
  body: "{}",
};

beforeAll(async () => {
  server = createServer(
    webhookApiListener({
      endpoints: webhookEndpoints({
        ...DEFAULT_CONFIG,
        providers: [
          { id: "stripe", scheme: "stripe" },
          { id: "github", scheme: "github" },
          { id: "acme", scheme: "generic", apiKeyRequired: true },
          { id: "dropbox", scheme: "dropbox" },
        ],
      }),
      maxBodyBytes: MAX_BODY_BYTES,
      apiKey: API_KEY,
      validate: async (event) => {
        invocations.push(event);
        return answer;
      },
      onAnswer: () => undefined,
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  invocations.length = 0;
});

afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
);

const stripeHeaders = { "Stripe-Signature": "t=1,v1=00", "Content-Type": "application/json" };

test.each([
  [
    "an unknown path",
    "POST",
    "/webhooks/paypal",
    stripeHeaders,
    "MISSING_AUTHENTICATION_TOKEN",
    403,
    "Missing Authentication Token",
  ],
  [
    "another method",
    "GET",
    "/webhooks/stripe",
    {},
    "MISSING_AUTHENTICATION_TOKEN",
    403,
    "Missing Authentication Token",
  ],
  [
    "a handshake method without its query parameter",
    "GET",
    "/webhooks/dropbox",
    {},
    "BAD_REQUEST_PARAMETERS",
    400,
    "Missing required request parameters: [challenge]",
  ],
  [
    "a path in another case",
    "POST",
    "/Webhooks/stripe",
    stripeHeaders,
    "MISSING_AUTHENTICATION_TOKEN",
    403,
    "Missing Authentication Token",
  ],
  [
    "no API key where one is required",
    "POST",
    "/webhooks/acme",
    { "X-Webhook-Signature": "t=1,v1=00" },
    "INVALID_API_KEY",
    403,
    "Forbidden",
  ],
  [
    "a wrong API key",
    "POST",
    "/webhook",
    { "x-api-key": "guess", "X-Provider-ID": "acme", "X-Webhook-Signature": "s" },
    "INVALID_API_KEY",
    403,
    "Forbidden",
  ],
  [
    "no signature header",
    "POST",
    "/webhooks/github",
    { "X-GitHub-Event": "push" },
    "BAD_REQUEST_PARAMETERS",
    400,
    "Missing required request parameters: [X-Hub-Signature-256]",
  ],
  [
    "the generic route without its headers",
    "POST",
    "/webhook",
    { "x-api-key": API_KEY },
    "BAD_REQUEST_PARAMETERS",
    400,
    "Missing required request parameters: [X-Provider-ID, X-Webhook-Signature]",
  ],
])(
  "API Gateway answers %s itself, with the stack's gateway response body",
  async (_, method, path, headers, type, status, message) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(method === "POST" && { body: "{}" }),
    });

    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({
      message,
      type,
      requestId: response.headers.get("x-amzn-requestid"),
    });
    expect(invocations).toEqual([]);
  },
);

test("the WAF answers a declared body over limits.maxBodyBytes with its 413 body", async () => {
  const response = await fetch(`${base}/webhooks/stripe`, {
    method: "POST",
    headers: stripeHeaders,
    body: "x".repeat(MAX_BODY_BYTES + 1),
  });

  expect([response.status, await response.json()]).toEqual([413, { message: "Payload too large" }]);
  expect(invocations).toEqual([]);
});

test("a body over the limit sent without Content-Length passes the WAF: the validator sees it", async () => {
  const status = await chunked("/webhooks/stripe", "x".repeat(MAX_BODY_BYTES + 1));

  expect(status).toBe(202);
  expect(invocations).toHaveLength(1);
});

test("API Gateway refuses a body over its 10 MB payload limit without invoking the function", async () => {
  const status = await chunked("/webhooks/stripe", "x".repeat(API_GATEWAY_MAX_PAYLOAD_BYTES + 1));

  expect(status).toBe(413);
  expect(invocations).toEqual([]);
});

test("the validator gets the proxy event API Gateway sends: exact bytes base64, every header line, the resource", async () => {
  const body = Buffer.from('{"caf\u00e9":1}\n', "utf8");
  const response = await new Promise<{ status: number; requestId: string }>((resolve, reject) => {
    const request = httpRequest(`${base}/webhooks/stripe?x=1`, { method: "POST" }, (res) => {
      res.resume();
      res.on("end", () =>
        resolve({ status: res.statusCode!, requestId: String(res.headers["x-amzn-requestid"]) }),
      );
    });
    request.on("error", reject);
    request.setHeader("Stripe-Signature", "t=1,v1=00");
    request.setHeader("X-Repeated", ["one", "two"]);
    request.end(body);
  });

  expect(response.status).toBe(202);
  expect(invocations).toEqual([
    expect.objectContaining({
      resource: "/webhooks/stripe",
      pathParameters: null,
      isBase64Encoded: true,
      body: body.toString("base64"),
      requestContext: { requestId: response.requestId },
    }),
  ]);
  expect(invocations[0]!.multiValueHeaders).toMatchObject({
    "X-Repeated": ["one", "two"],
    "Stripe-Signature": ["t=1,v1=00"],
  });
  expect(invocations[0]!.headers).toMatchObject({ "X-Repeated": "two" });
});

test("a sender's GET handshake reaches the validator with its method and query, as the API routes it", async () => {
  const response = await fetch(`${base}/webhooks/dropbox?challenge=dbx-1`);

  expect(response.status).toBe(202);
  expect(invocations).toEqual([
    expect.objectContaining({
      resource: "/webhooks/dropbox",
      httpMethod: "GET",
      queryStringParameters: { challenge: "dbx-1" },
    }),
  ]);
});

test("the validator's answer is the HTTP answer: status, headers and body", async () => {
  answer = {
    statusCode: 401,
    headers: { "Content-Type": "application/json" },
    body: '{"message":"Unauthorized"}',
  };
  try {
    const response = await fetch(`${base}/webhooks/stripe`, {
      method: "POST",
      headers: stripeHeaders,
      body: "{}",
    });

    expect([response.status, response.headers.get("content-type"), await response.text()]).toEqual([
      401,
      "application/json",
      '{"message":"Unauthorized"}',
    ]);
  } finally {
    answer = { statusCode: 202, headers: { "Content-Type": "application/json" }, body: "{}" };
  }
});

/** POSTs with chunked transfer encoding (no Content-Length); resolves the status. */
function chunked(path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${base}${path}`, { method: "POST", headers: stripeHeaders }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode!));
    });
    request.on("error", reject);
    request.write(body);
    request.end();
  });
}
