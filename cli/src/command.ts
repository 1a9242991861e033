import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { FirehoseClient } from "@aws-sdk/client-firehose";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SQSClient } from "@aws-sdk/client-sqs";

/** Exit codes of every command. */
export const ExitCode = {
  /** Done; for `verify`, the request verified. */
  ok: 0,
  /** Verification failed, or a remote operation failed or found nothing. */
  failed: 1,
  /** Bad input: unknown option, missing argument, bad value, or a confirmation that could not be asked. */
  usage: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Bad input; `main` prints `webhooks <cmd>: <message> (see webhooks <cmd> --help)` and exits 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A failure with a message for the user (no stack); `main` prints it and exits 1. */
export class CommandError extends Error {
  override readonly name = "CommandError";
}

/** Where an AWS client points: undefined fields fall back to the SDK's defaults (environment, profile). */
export interface AwsClientConfig {
  readonly region?: string;
  readonly profile?: string;
  /** Another endpoint than AWS's: the local one of `webhooks dev`. */
  readonly endpoint?: string;
  /** Fixed credentials instead of the SDK's chain (the local endpoint checks none). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** AWS clients for a command; tests pass clients that talk to mocks or dynalite. */
export interface AwsClients {
  sqs(config: AwsClientConfig): SQSClient;
  eventBridge(config: AwsClientConfig): EventBridgeClient;
  dynamoDb(config: AwsClientConfig): DynamoDBClient;
  firehose(config: AwsClientConfig): FirehoseClient;
  s3(config: AwsClientConfig): S3Client;
}

export interface Output {
  write(text: string): void;
  /** The terminal's width, when the output is a terminal. */
  readonly columns?: number;
}

/** Everything a command touches outside its arguments, so tests run commands in-process with fakes. */
export interface Io {
  readonly stdout: Output;
  readonly stderr: Output;
  /** The whole of standard input. */
  readStdin(): Promise<Buffer>;
  /** Whether a question can be asked (standard input is a terminal). */
  readonly interactive: boolean;
  /** Asks a yes/no question on stderr; true only for an explicit yes. */
  confirm(question: string): Promise<boolean>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths resolve against. */
  readonly cwd: string;
  /** Epoch milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
  readonly fetch: typeof fetch;
  readonly aws: AwsClients;
  /**
   * Calls `handler` on SIGINT (Ctrl-C) or SIGTERM instead of exiting, until the returned function
   * is called: a command that created resources removes them first. A second signal exits at once.
   */
  onInterrupt(handler: (signal: InterruptSignal) => void): () => void;
}

export type InterruptSignal = "SIGINT" | "SIGTERM";

export interface Command {
  readonly name: string;
  /** One line for `webhooks --help`. */
  readonly summary: string;
  /** The whole `webhooks <name> --help` text. */
  readonly help: string;
  run(args: readonly string[], io: Io): Promise<ExitCode>;
}
