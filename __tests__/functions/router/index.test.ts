import type { Context } from "aws-lambda";

// index.ts only wires adapters from the environment; these tests load it as Lambda would.

const context = {
  functionName: "wh-test-router",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:wh-test-router",
  memoryLimitInMB: "256",
  awsRequestId: "request-1",
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

const environment = {
  AWS_REGION: "us-east-1",
  TABLE_NAME: "wh-test-webhooks",
  EVENT_BUS_NAME: "wh-test-bus",
  PAYLOAD_BUCKET: "wh-test-payloads",
  POWERTOOLS_LOG_LEVEL: "SILENT",
};

function loadRouterWith(env: Record<string, string>) {
  const saved = process.env;
  process.env = { ...saved, ...env };
  try {
    let module: typeof import("../../../functions/router/index") | undefined;
    jest.isolateModules(() => {
      module = require("../../../functions/router/index");
    });
    return module!;
  } finally {
    process.env = saved;
  }
}

test("the wired handler answers an empty batch with no failures and no AWS call", async () => {
  const stdout = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
  try {
    const { handler } = loadRouterWith(environment);

    expect(await handler({ Records: [] }, context)).toStrictEqual({ batchItemFailures: [] });
  } finally {
    stdout.mockRestore();
  }
});

test("a missing TABLE_NAME fails at cold start, naming the variable", () => {
  const { TABLE_NAME: _, ...withoutTable } = environment;

  expect(() => loadRouterWith(withoutTable)).toThrow("environment variable TABLE_NAME is required");
});
