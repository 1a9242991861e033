import { spawn } from "node:child_process";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { BIN } from "./support/cli-io";
import { checkoutWith, platformStackDocument } from "./support/stacks";

const ACCOUNT = "123456789012";

/**
 * Just enough of EventBridge and SQS (their JSON protocols, routed by X-Amz-Target) for a listen
 * session: every call is recorded; a receive is held open, as SQS long polling holds it.
 */
async function fakeAws() {
  const calls: Array<{ operation: string; input: Record<string, string> }> = [];
  const held: ServerResponse[] = [];
  let endpoint = "";
  let polled: () => void = () => undefined;
  const firstPoll = new Promise<void>((resolve) => {
    polled = resolve;
  });
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      const operation = String(request.headers["x-amz-target"]).split(".").pop()!;
      const input = JSON.parse(body || "{}");
      calls.push({ operation, input });
      const answer: Record<string, unknown> = {
        ListRules: { Rules: [] },
        ListQueues: {},
        PutRule: { RuleArn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/${input.EventBusName}/${input.Name}` },
        // The SQS client sends to the host of a queue's URL: it must be this endpoint.
        CreateQueue: { QueueUrl: `${endpoint}/${ACCOUNT}/${input.QueueName}` },
        PutTargets: { FailedEntryCount: 0, FailedEntries: [] },
        RemoveTargets: { FailedEntryCount: 0, FailedEntries: [] },
      };
      if (operation === "ReceiveMessage") {
        held.push(response);
        polled();
        return;
      }
      response.setHeader("content-type", "application/x-amz-json-1.1");
      response.end(JSON.stringify(answer[operation] ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    calls,
    firstPoll,
    close: () =>
      new Promise((resolve) => {
        for (const response of held) response.destroy();
        server.close(resolve);
      }),
  };
}

test("a real SIGINT to the running CLI removes the rule and the queue before it exits", async () => {
  // GIVEN the CLI listening for route payments against a fake AWS endpoint
  const aws = await fakeAws();
  const checkout = checkoutWith({ "webhooks-dev": platformStackDocument({ environment: "dev" }) });
  const child = spawn(BIN, ["listen", "--route", "payments", "--forward", "http://127.0.0.1:9/", "--yes"], {
    cwd: checkout,
    env: {
      PATH: process.env.PATH,
      HOME: checkout,
      AWS_ENDPOINT_URL: aws.endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_REGION: "us-east-1",
    },
  });
  let stdout = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));

  // WHEN it polls its queue and gets Ctrl-C
  await aws.firstPoll;
  child.kill("SIGINT");
  const code = await exited;
  await aws.close();

  // THEN it removed what it created, in order, and exited 0
  const name = aws.calls.find((call) => call.operation === "PutRule")!.input.Name!;
  expect(code).toBe(0);
  expect(aws.calls.map((call) => call.operation).slice(-3)).toEqual([
    "RemoveTargets",
    "DeleteRule",
    "DeleteQueue",
  ]);
  expect(stdout).toContain(`removed session ${name.slice(-8)}: rule ${name}, queue ${name}\n`);
}, 30_000);
