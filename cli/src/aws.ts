import { type AwsClientConfig, type AwsClients, ExitCode, type Io } from "./command";
import type { StackModel } from "./stack";

/** Options every AWS command takes (`--yes` too, where it acts). */
export const AWS_OPTIONS = {
  region: { type: "string" },
  profile: { type: "string" },
  "stack-dir": { type: "string" },
} as const;

export const AWS_HELP = `AWS options:
  --region <region>     AWS region (default: AWS_REGION, else the stack's provider region,
                        else the profile's region)
  --profile <name>      shared config/credentials profile (default: AWS_PROFILE, else the SDK's
                        default credential chain: environment, SSO, web identity, instance role)
  --stack-dir <dir>     synthesized stack directory (default: the only one under
                        cdktf.out/stacks; synthesize with the WEBHOOK_* environment you deployed with)`;

export interface ResolvedAws {
  readonly config: AwsClientConfig;
  /** e.g. `us-east-1 (from the stack)`, for the plan a command shows before acting. */
  readonly regionNote: string;
  /** Set when AWS_REGION and the stack disagree. */
  readonly warning?: string;
}

/**
 * Client config for a command: `--region`, else `AWS_REGION`, else the region the stack was
 * synthesized for; `--profile` (else the SDK reads `AWS_PROFILE`). Credentials always come from
 * the SDK's default chain.
 */
export function resolveAws(
  values: { region?: string | undefined; profile?: string | undefined },
  stack: StackModel | undefined,
  env: Io["env"],
): ResolvedAws {
  const fromEnv = env.AWS_REGION || undefined;
  const region = values.region ?? fromEnv ?? stack?.region;
  const source =
    values.region !== undefined
      ? "--region"
      : fromEnv !== undefined
        ? "AWS_REGION"
        : stack?.region !== undefined
          ? "the stack"
          : "the profile";
  const config: AwsClientConfig = {
    ...(region !== undefined ? { region } : {}),
    ...(values.profile !== undefined ? { profile: values.profile } : {}),
  };
  const warning =
    region !== undefined && stack?.region !== undefined && region !== stack.region
      ? `warning: using region ${region} (from ${source}) but the stack was synthesized for ${stack.region}`
      : undefined;
  return {
    config,
    regionNote: `${region ?? "(SDK default)"} (from ${source})`,
    ...(warning ? { warning } : {}),
  };
}

/** The real clients, loaded on first use so `sign` and `verify` never load the AWS SDK. */
export const sdkClients: AwsClients = {
  sqs(config) {
    const { SQSClient } = require("@aws-sdk/client-sqs") as typeof import("@aws-sdk/client-sqs");
    return new SQSClient(config);
  },
  eventBridge(config) {
    const { EventBridgeClient } =
      require("@aws-sdk/client-eventbridge") as typeof import("@aws-sdk/client-eventbridge");
    return new EventBridgeClient(config);
  },
  dynamoDb(config) {
    const { DynamoDBClient } =
      require("@aws-sdk/client-dynamodb") as typeof import("@aws-sdk/client-dynamodb");
    return new DynamoDBClient(config);
  },
};

/** A one-line description of an AWS SDK error: its name (the service's error code) and message. */
export function describeAwsError(error: unknown): string {
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  if (name === "CredentialsProviderError" || /Could not load credentials/.test(message ?? "")) {
    return `no AWS credentials: ${message} (set AWS_PROFILE or pass --profile, or export credentials)`;
  }
  if (/Region is missing/i.test(message ?? "")) return "no AWS region: pass --region or set AWS_REGION";
  return `${name ?? "Error"}: ${message ?? String(error)}`;
}

/**
 * Asks before acting. `--yes` skips the question; without a terminal to ask on, refuses with exit
 * 2; a "no" exits 1. Returns undefined when the command may go ahead.
 */
export async function confirmAction(
  yes: boolean | undefined,
  question: string,
  command: string,
  io: Io,
): Promise<ExitCode | undefined> {
  if (yes) return undefined;
  if (!io.interactive) {
    io.stderr.write(
      `webhooks ${command}: refusing to act without confirmation: standard input is not a terminal; pass --yes to proceed\n`,
    );
    return ExitCode.usage;
  }
  if (await io.confirm(question)) return undefined;
  io.stderr.write("aborted: nothing was changed\n");
  return ExitCode.failed;
}
