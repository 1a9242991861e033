import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { FirehoseClient } from "@aws-sdk/client-firehose";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { AwsClients, InterruptSignal, Io } from "../../../cli/src/command";
import { main } from "../../../cli/src/main";

export const REPO_ROOT = resolve(__dirname, "../../..");
export const BIN = join(REPO_ROOT, "node_modules/.bin/webhooks");

/** Clients with fixed fake credentials: aws-sdk-client-mock intercepts them, nothing reaches AWS. */
export const fakeAwsClients: AwsClients = {
  sqs: (config) => new SQSClient({ region: "us-east-1", ...config, credentials: FAKE_CREDENTIALS }),
  eventBridge: (config) =>
    new EventBridgeClient({ region: "us-east-1", ...config, credentials: FAKE_CREDENTIALS }),
  dynamoDb: (config) => new DynamoDBClient({ region: "us-east-1", ...config, credentials: FAKE_CREDENTIALS }),
  firehose: (config) => new FirehoseClient({ region: "us-east-1", ...config, credentials: FAKE_CREDENTIALS }),
  s3: (config) => new S3Client({ region: "us-east-1", ...config, credentials: FAKE_CREDENTIALS }),
};
const FAKE_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

export interface FakeIoOptions {
  readonly stdin?: string | Buffer;
  readonly interactive?: boolean;
  /** Answers to confirmation questions, in order. */
  readonly answers?: readonly boolean[];
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  /** Epoch milliseconds. @default 2025-01-31T12:00:00Z */
  readonly now?: number;
  /** A clock the test can move (`clock.ms += 60_000` inside a mock); `now` is ignored with it. */
  readonly clock?: { ms: number };
  readonly aws?: Partial<AwsClients>;
  readonly fetch?: typeof fetch;
  /** Where the test sends SIGINT/SIGTERM from; without it, commands are never interrupted. */
  readonly interrupts?: FakeInterrupts;
}

/**
 * Stands in for the process's signals: `send` calls the handlers commands registered with
 * `io.onInterrupt`, as Ctrl-C would.
 *
 * @example const interrupts = new FakeInterrupts(); sqs.on(ReceiveMessageCommand).callsFake(() => interrupts.send())
 */
export class FakeInterrupts {
  private readonly handlers = new Set<(signal: InterruptSignal) => void>();

  register(handler: (signal: InterruptSignal) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  send(signal: InterruptSignal = "SIGINT"): void {
    for (const handler of [...this.handlers]) handler(signal);
  }

  /** Handlers registered and not released: 0 once a command has finished. */
  get registered(): number {
    return this.handlers.size;
  }
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Confirmation questions asked. */
  readonly questions: readonly string[];
  /** Milliseconds the command slept (rate limits, polling). */
  readonly slept: readonly number[];
}

export const NOW_MS = Date.parse("2025-01-31T12:00:00Z");

/**
 * Runs `webhooks <argv>` in-process with a fake terminal, clock and AWS clients.
 *
 * @example const { code, stdout } = await runCli(["sign", "--scheme", "github", ...])
 */
export async function runCli(argv: readonly string[], options: FakeIoOptions = {}): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const questions: string[] = [];
  const slept: number[] = [];
  const answers = [...(options.answers ?? [])];
  const clock = options.clock ?? { ms: options.now ?? NOW_MS };
  const io: Io = {
    stdout: {
      write: (text) => {
        stdout += text;
      },
    },
    stderr: {
      write: (text) => {
        stderr += text;
      },
    },
    readStdin: async () => Buffer.from(options.stdin ?? ""),
    interactive: options.interactive ?? false,
    confirm: async (question) => {
      questions.push(question);
      return answers.shift() ?? false;
    },
    env: options.env ?? {},
    cwd: options.cwd ?? REPO_ROOT,
    now: () => clock.ms,
    sleep: async (ms) => {
      slept.push(ms);
      clock.ms += ms;
    },
    fetch: options.fetch ?? (() => Promise.reject(new Error("no network in this test"))),
    aws: { ...fakeAwsClients, ...options.aws },
    onInterrupt: (handler) => options.interrupts?.register(handler) ?? (() => undefined),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr, questions, slept };
}

/** A temporary directory with the given files; returns its path. */
export function tempDir(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "webhooks-cli-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** Spawns the installed bin (node_modules/.bin/webhooks) with the machine's node. */
export function spawnCli(
  args: readonly string[],
  options: { readonly cwd?: string; readonly input?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = execFile(
      BIN,
      [...args],
      {
        cwd: options.cwd ?? REPO_ROOT,
        encoding: "utf8",
        env: { ...process.env, AWS_REGION: "", NODE_OPTIONS: "" },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolvePromise({ code, stdout, stderr });
      },
    );
    child.stdin?.end(options.input ?? "");
  });
}
