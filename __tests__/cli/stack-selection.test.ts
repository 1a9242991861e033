import { utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import {
  DescribeArchiveCommand,
  DescribeReplayCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  StartReplayCommand,
} from "@aws-sdk/client-eventbridge";
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { signRequest } from "@webhooks/shared";
import { mockClient } from "aws-sdk-client-mock";
import { SYNTH_FAILURE_FILE } from "../../stacks/synth-failure";
import { type RunResult, runCli } from "./support/cli-io";
import { checkoutWith, platformStackDocument, regionalStackDocument } from "./support/stacks";

// GIVEN a checkout where dev and prod were synthesized, next to the regional stack. Only prod has
// the paypal provider, and its records live 3 days instead of 7: which stack a command read shows.
const DEV = platformStackDocument({ environment: "dev" });
const PROD = platformStackDocument({
  environment: "prod",
  providers: ["acme", "stripe", "paypal"],
  dedupeTtlSeconds: 3 * 86_400,
});
const REGIONAL = regionalStackDocument("us-east-1");
const checkout = checkoutWith(
  { "webhooks-dev": DEV, "webhooks-prod": PROD, "webhooks-regional-us-east-1": REGIONAL },
  { "prod.json": JSON.stringify({ environment: "prod" }) },
);

const sqs = mockClient(SQSClient);
const events = mockClient(EventBridgeClient);
const dynamoDb = mockClient(DynamoDBClient);

beforeEach(() => {
  sqs.reset();
  events.reset();
  dynamoDb.reset();
  sqs
    .on(GetQueueUrlCommand)
    .callsFake((input: { QueueName: string }) => ({ QueueUrl: `https://q/${input.QueueName}` }));
  sqs
    .on(GetQueueAttributesCommand)
    .resolves({ Attributes: { QueueArn: "arn", ApproximateNumberOfMessages: "0" } });
  sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [] });
  dynamoDb.on(ScanCommand).resolves({ Items: [], ScannedCount: 0 });
  events.on(DescribeArchiveCommand).resolves({ ArchiveArn: "arn:archive", EventSourceArn: "arn:bus" });
  events.on(DescribeRuleCommand).callsFake((input: { Name: string }) => ({ Arn: `arn:rule/${input.Name}` }));
  events.on(StartReplayCommand).resolves({ State: "STARTING" });
  events.on(DescribeReplayCommand).resolves({ State: "RUNNING" });
});

const body = '{"type":"order.created"}';
const signedForPaypal = Object.entries(
  signRequest("generic", { body: Buffer.from(body), secrets: ["s3cr3t"], timestamp: 1_738_324_800 }),
).flatMap(([name, value]) => ["--header", `${name}: ${value}`]);

/** Each command, and what it prints only when it read the prod stack. */
const COMMANDS: ReadonlyArray<{ name: string; argv: string[]; shows: string }> = [
  {
    name: "status",
    argv: ["status", "--pending"],
    shows: "no pending deliveries in the last 4 days (2025-01-28 … 2025-01-31) in whk-prod-records",
  },
  {
    name: "redrive --queue",
    argv: ["redrive", "--queue", "ingest"],
    shows: "Redrive whk-prod-ingest-dlq → whk-prod-ingest",
  },
  {
    name: "redrive --target-dlq",
    argv: ["redrive", "--target-dlq", "payments"],
    shows: "Send the events in whk-prod-route-payments-target-dlq to queue whk-prod-route-payments",
  },
  {
    name: "replay",
    argv: [
      "replay",
      "--provider",
      "paypal",
      "--from",
      "2025-01-31",
      "--to",
      "2025-01-31T10:00:00Z",
      "--include-archive",
      "--yes",
    ],
    shows: "rules:   whk-prod-archive-all",
  },
  { name: "inventory", argv: ["inventory"], shows: "whk-prod-records" },
  {
    name: "sign",
    argv: ["sign", "--provider", "paypal", "--secret", "s3cr3t", "--data", body],
    shows: "X-Provider-ID: paypal",
  },
  {
    name: "verify",
    argv: [
      "verify",
      "--provider",
      "paypal",
      "--secret",
      "s3cr3t",
      "--data",
      body,
      "--now",
      "1738324800",
    ].concat(signedForPaypal),
    shows: "verified: generic signature matches secret #1 of 1",
  },
  {
    name: "send",
    argv: [
      "send",
      "--provider",
      "paypal",
      "--secret",
      "s",
      "--data",
      body,
      "--url",
      "https://x.test/webhook",
      "--dry-run",
    ],
    shows: "X-Provider-ID: paypal",
  },
];

describe("with two synthesized environment stacks, every command reads the one chosen", () => {
  const WAYS = [
    { way: "--stack webhooks-prod", args: ["--stack", "webhooks-prod"], env: {} },
    { way: "WEBHOOK_ENVIRONMENT=prod", args: [], env: { WEBHOOK_ENVIRONMENT: "prod" } },
    { way: "WEBHOOK_CONFIG=prod.json", args: [], env: { WEBHOOK_CONFIG: "prod.json" } },
  ];
  const cases = COMMANDS.flatMap((command) => WAYS.map((way) => ({ ...command, ...way })));

  test.each(cases)("$name with $way", async ({ argv, args, env, shows }) => {
    const { code, stdout, stderr } = await runCli([...argv, ...args], { cwd: checkout, env });

    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toContain(shows);
  });
});

describe("choosing a stack", () => {
  const run = (argv: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}) =>
    runCli(argv, { cwd: checkout, ...options });
  const oneLine = (result: RunResult) => result.stderr.split("\n").filter(Boolean);

  test("neither --stack nor WEBHOOK_*: exit 2 naming the environment stacks (not the regional one) and both ways to choose", async () => {
    const result = await run(["status", "--pending"]);

    expect(result.code).toBe(2);
    expect(oneLine(result)).toEqual([
      "webhooks status: cdktf.out/stacks holds 2 environment stacks (webhooks-dev, webhooks-prod): choose one with --stack webhooks-dev, or set the WEBHOOK_* environment it was synthesized with (WEBHOOK_CONFIG, WEBHOOK_ENVIRONMENT, …) (see webhooks status --help)",
    ]);
  });

  test("the only environment stack is chosen; a stack without the records table is no choice, whatever its name", async () => {
    const devOnly = checkoutWith({ "webhooks-dev": DEV, "webhooks-edge": REGIONAL });

    const { code, stdout } = await run(["redrive"], { cwd: devOnly });

    expect(code).toBe(0);
    expect(stdout).toContain("Redrive whk-dev-ingest-dlq → whk-dev-ingest");
  });

  test("only the regional stack: exit 1, synthesize an environment", async () => {
    const regionalOnly = checkoutWith({ "webhooks-regional-us-east-1": REGIONAL });

    const result = await run(["status", "--pending"], { cwd: regionalOnly });

    expect(result.code).toBe(1);
    expect(oneLine(result)).toEqual([
      "webhooks status: no environment stack under cdktf.out/stacks, only webhooks-regional-us-east-1 (no records table): run `npm run synth` with the same WEBHOOK_* environment (WEBHOOK_CONFIG, WEBHOOK_ENVIRONMENT, …) you deployed with",
    ]);
  });

  test("--stack naming the regional stack: exit 2 saying what it is", async () => {
    const result = await run(["redrive", "--stack", "webhooks-regional-us-east-1"]);

    expect(result.code).toBe(2);
    expect(oneLine(result)).toEqual([
      "webhooks redrive: stack webhooks-regional-us-east-1 is the regional stack (the region's API Gateway account setting and its role): it has no records table, event bus or queues; choose an environment stack: webhooks-dev, webhooks-prod (see webhooks redrive --help)",
    ]);
    expect(sqs.calls()).toHaveLength(0);
  });

  test("--stack takes a path too", async () => {
    const { code, stdout } = await run(["redrive", "--stack", "./cdktf.out/stacks/webhooks-prod"]);

    expect(code).toBe(0);
    expect(stdout).toContain("Redrive whk-prod-ingest-dlq");
  });

  test("--stack wins over WEBHOOK_*", async () => {
    const { stdout } = await run(["redrive", "--stack", "webhooks-dev"], {
      env: { WEBHOOK_ENVIRONMENT: "prod" },
    });

    expect(stdout).toContain("Redrive whk-dev-ingest-dlq");
  });

  test.each([
    {
      argv: ["--stack", "webhooks-stg"],
      env: {},
      line: "--stack: webhooks-stg is not a synthesized stack under cdktf.out/stacks (webhooks-dev, webhooks-prod, webhooks-regional-us-east-1)",
    },
    {
      argv: ["--stack-dir", "webhooks-prod"],
      env: {},
      line: "--stack-dir: webhooks-prod holds no cdk.tf.json; webhooks-prod is a stack name: use --stack webhooks-prod",
    },
    {
      argv: ["--stack", "webhooks-dev", "--stack-dir", "cdktf.out/stacks/webhooks-dev"],
      env: {},
      line: "--stack and --stack-dir are exclusive: choose the stack one way",
    },
    {
      argv: [],
      env: { WEBHOOK_CONFIG: "missing.json" },
      line: `the configuration of WEBHOOK_CONFIG=missing.json does not load: WEBHOOK_CONFIG=${join(checkout, "missing.json")}: no such file; fix WEBHOOK_CONFIG or the WEBHOOK_* variables, or choose the stack with --stack`,
    },
    {
      argv: [],
      env: { WEBHOOK_ENVIRONMENT: "Prod!" },
      line: "the configuration of WEBHOOK_ENVIRONMENT=Prod! does not load: ",
    },
  ])("bad choice $argv $env: exit 2, one line", async ({ argv, env, line }) => {
    const result = await run(["redrive", ...argv], { env });

    expect(result.code).toBe(2);
    expect(oneLine(result)).toHaveLength(1);
    expect(result.stderr.startsWith(`webhooks redrive: ${line}`)).toBe(true);
  });

  test("WEBHOOK_* naming a stack that was not synthesized: exit 1, synthesize it or choose another", async () => {
    const result = await run(["redrive"], {
      env: { WEBHOOK_ENVIRONMENT: "stg", WEBHOOK_REGION: "eu-west-1" },
    });

    expect(result.code).toBe(1);
    expect(oneLine(result)).toEqual([
      "webhooks redrive: WEBHOOK_ENVIRONMENT=stg, WEBHOOK_REGION=eu-west-1 synthesizes stack webhooks-stg, which is not under cdktf.out/stacks (webhooks-dev, webhooks-prod, webhooks-regional-us-east-1): run `npm run synth` with this environment, or choose another with --stack",
    ]);
  });
});

describe("a synth that failed after the stack was written", () => {
  const STACK_TIME = new Date("2025-01-31T10:00:00Z");

  function checkoutWithMarker(marker: object | string) {
    const dir = checkoutWith({ "webhooks-dev": DEV, "webhooks-prod": PROD });
    for (const id of ["webhooks-dev", "webhooks-prod"]) {
      utimesSync(join(dir, "cdktf.out/stacks", id, "cdk.tf.json"), STACK_TIME, STACK_TIME);
    }
    const content = typeof marker === "string" ? marker : JSON.stringify(marker);
    writeFileSync(join(dir, "cdktf.out", SYNTH_FAILURE_FILE), content);
    return dir;
  }
  const failure = {
    at: "2025-01-31T11:00:00.000Z",
    stack: "webhooks-dev",
    problems: [
      "limits.dedupeTtlHours must be ≥ 72 (Stripe retries for 3 days)",
      "alarmEmail is not an e-mail",
    ],
  };

  test("newer than the stack read: one warning line with the time and the first problem", async () => {
    const dir = checkoutWithMarker(failure);

    const { code, stderr } = await runCli(["redrive", "--stack", "webhooks-dev"], { cwd: dir });

    expect(code).toBe(0);
    expect(stderr).toBe(
      "warning: the last synth failed at 2025-01-31T11:00:00.000Z: limits.dedupeTtlHours must be ≥ 72 (Stripe retries for 3 days); cdktf.out/stacks/webhooks-dev/cdk.tf.json is older and may not reflect the current configuration\n",
    );
  });

  test.each([
    { when: "older than the stack", marker: { ...failure, at: "2025-01-31T09:00:00.000Z" } },
    { when: "about another stack", marker: { ...failure, stack: "webhooks-prod" } },
  ])("$when: no warning", async ({ marker }) => {
    const dir = checkoutWithMarker(marker);

    const { stderr } = await runCli(["redrive", "--stack", "webhooks-dev"], { cwd: dir });

    expect(stderr).toBe("");
  });

  test("a marker that is not JSON still warns, by its file time", async () => {
    const dir = checkoutWithMarker("not json");

    const { stderr } = await runCli(
      ["sign", "--provider", "acme", "--secret", "s", "--data", "{}", "--stack", "webhooks-dev"],
      {
        cwd: dir,
      },
    );

    expect(stderr).toMatch(
      /^warning: the last synth failed at \S+; cdktf.out\/stacks\/webhooks-dev\/cdk.tf.json is older and may not reflect the current configuration\n/,
    );
  });
});
