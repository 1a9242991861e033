import type { SQSEvent } from "aws-lambda";
import { createRouterHandler } from "../../functions/router/handler";
import { createValidatorHandler, type ValidatorHandler } from "../../functions/validator/handler";
import { post, startConsumer, startDev, stripeEvent, until } from "./support/dev-server";

// `webhooks dev` must run the functions' own handlers, built by the same factories the Lambda entry
// points use: these tests replace a factory's handler and expect the dev server to answer or route
// with the replacement. A dev server with its own copy of the validation or routing would not.

jest.mock("../../functions/validator/handler", () => {
  const actual = jest.requireActual("../../functions/validator/handler");
  return { ...actual, createValidatorHandler: jest.fn(actual.createValidatorHandler) };
});
jest.mock("../../functions/router/handler", () => {
  const actual = jest.requireActual("../../functions/router/handler");
  return { ...actual, createRouterHandler: jest.fn(actual.createRouterHandler) };
});

const validatorFactory = jest.mocked(createValidatorHandler);
const routerFactory = jest.mocked(createRouterHandler);

afterEach(() => {
  validatorFactory.mockClear();
  routerFactory.mockClear();
});

test("the Lambda entry points build their handlers with the factories webhooks dev uses", () => {
  const saved = process.env;
  process.env = {
    ...saved,
    AWS_REGION: "us-east-1",
    TABLE_NAME: "table",
    QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/ingest",
    PAYLOAD_BUCKET: "bucket",
    EVENT_BUS_NAME: "bus",
  };
  try {
    jest.isolateModules(() => {
      // The package's providers.json, which the Lambda reads beside its index.js.
      jest.doMock("../../functions/validator/config", () => ({
        ...jest.requireActual("../../functions/validator/config"),
        readProvidersFile: () =>
          JSON.stringify([{ id: "stripe", scheme: "stripe", secretId: "s", toleranceSeconds: 300 }]),
      }));
      require("../../functions/validator/index");
      require("../../functions/router/index");
    });
  } finally {
    process.env = saved;
  }

  expect(validatorFactory).toHaveBeenCalledTimes(1);
  expect(routerFactory).toHaveBeenCalledTimes(1);
});

test("the dev API answers with whatever the validator factory's handler answers, given the request as API Gateway passes it", async () => {
  const seen: Parameters<ValidatorHandler>[0][] = [];
  validatorFactory.mockImplementationOnce(() => async (event) => {
    seen.push(event);
    return {
      statusCode: 418,
      headers: { "Content-Type": "application/json" },
      body: '{"from":"the handler"}',
    };
  });
  const dev = await startDev();
  try {
    const event = stripeEvent("evt_no_fork", "payment_intent.succeeded");
    const answer = await post(dev.url, event);

    expect(answer).toEqual({ status: 418, body: { from: "the handler" } });
    expect(seen).toHaveLength(1);
    expect(Buffer.from(seen[0]!.body!, "base64").toString("utf8")).toBe(event.body);
    expect(seen[0]).toMatchObject({ resource: "/webhooks/stripe", isBase64Encoded: true });
  } finally {
    await dev.server.stop();
  }
});

test("the ingest queue is drained by the router factory's handler: what it reports failed is not routed", async () => {
  const batches: SQSEvent[] = [];
  routerFactory.mockImplementationOnce(() => async (event) => {
    batches.push(event);
    return { batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })) };
  });
  const consumer = await startConsumer();
  const dev = await startDev({ forwards: new Map([["payments", consumer.url("/payments")]]) });
  try {
    const answer = await post(dev.url, stripeEvent("evt_router_no_fork", "payment_intent.succeeded"));
    await until("the router handler to receive the webhook", () => batches.length > 0);

    const envelope = JSON.parse(batches[0]!.Records[0]!.body);
    expect(answer.status).toBe(202);
    expect(envelope).toMatchObject({ webhookId: answer.body.webhookId, deliveryId: "evt_router_no_fork" });
    expect(consumer.received).toEqual([]);
  } finally {
    await dev.server.stop();
    await consumer.close();
  }
});
