import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { type AwsClientConfig, type AwsClients, ExitCode, type Io, UsageError } from "./command";
import { LOCAL_CREDENTIALS } from "./dev/state";
import { STACK_HELP, STACK_OPTIONS, type StackModel } from "./stack";

/** Options every AWS command takes (`--yes` too, where it acts). */
export const AWS_OPTIONS = {
  region: { type: "string" },
  profile: { type: "string" },
  ...STACK_OPTIONS,
} as const;

export const AWS_HELP = `AWS options:
  --region <region>     AWS region (default: AWS_REGION, else the stack's provider region,
                        else the profile's region)
  --profile <name>      a profile of the shared config or credentials file (default: AWS_PROFILE,
                        else the SDK's default credential chain: environment, SSO, web identity,
                        instance role)
${STACK_HELP}`;

export interface ResolvedAws {
  readonly config: AwsClientConfig;
  /** e.g. `us-east-1 (from the stack)`, for the plan a command shows before acting. */
  readonly regionNote: string;
  /** Set when the region in effect is not the stack's. */
  readonly warning?: string;
}

/**
 * Client config for a command: `--region`, else `AWS_REGION`, else the region the stack was
 * synthesized for; `--profile` (else the SDK reads `AWS_PROFILE`), which must exist in the shared
 * config or credentials file. Credentials always come from the SDK's default chain. `resource`
 * names what the command reads first (`table whk-dev-records`) in the region-mismatch warning.
 */
export function resolveAws(
  values: { region?: string | undefined; profile?: string | undefined },
  stack: StackModel | undefined,
  env: Io["env"],
  resource: string,
): ResolvedAws {
  if (stack?.localEndpoint !== undefined) return localAws(values, stack.region, stack.localEndpoint);
  const profile = values.profile ?? (env.AWS_PROFILE || undefined);
  if (profile !== undefined) checkProfileExists(profile, values.profile !== undefined, env);
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
      ? `warning: ${resource} is in ${stack.region}, but the region in effect is ${region} (from ${source}); pass --region ${stack.region} to use the stack's`
      : undefined;
  return {
    config,
    regionNote: `${region ?? "(SDK default)"} (from ${source})`,
    ...(warning ? { warning } : {}),
  };
}

/** The local endpoint of `webhooks dev`: no profile, no region choice, credentials it ignores. */
function localAws(
  values: { region?: string | undefined; profile?: string | undefined },
  region: string | undefined,
  endpoint: string,
): ResolvedAws {
  const option = values.region !== undefined ? "--region" : values.profile !== undefined ? "--profile" : "";
  if (option)
    throw new UsageError(`${option} does not apply with --dev: the local instance uses no AWS account`);
  return {
    config: { ...(region !== undefined ? { region } : {}), endpoint, credentials: LOCAL_CREDENTIALS },
    regionNote: `local: webhooks dev at ${endpoint}`,
  };
}

/**
 * Refuses a profile that is in neither shared file: the SDK's own error ("Could not resolve
 * credentials using profile") reads the same for a profile that exists without credentials.
 * Sections as the SDK reads them: `[profile x]` or `[default]` in config, `[x]` in credentials.
 */
function checkProfileExists(profile: string, fromOption: boolean, env: Io["env"]): void {
  const home = env.HOME || homedir();
  const configFile = env.AWS_CONFIG_FILE || join(home, ".aws", "config");
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || join(home, ".aws", "credentials");
  const sections = (file: string): string[] =>
    existsSync(file)
      ? [...readFileSync(file, "utf8").matchAll(/^\s*\[([^\]]+)\]/gm)].map((match) => match[1]!.trim())
      : [];
  const known = new Set([
    ...sections(configFile).flatMap((section) => {
      if (section === "default") return [section];
      const named = /^profile\s+(\S+)$/.exec(section);
      return named ? [named[1]!] : [];
    }),
    ...sections(credentialsFile),
  ]);
  if (known.has(profile)) return;
  const option = fromOption ? "--profile" : "AWS_PROFILE";
  const names = known.size > 0 ? ` (profiles there: ${[...known].sort().join(", ")})` : "";
  throw new UsageError(
    `${option}: profile ${profile} does not exist in ${configFile} or ${credentialsFile}${names}`,
  );
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
  firehose(config) {
    const { FirehoseClient } =
      require("@aws-sdk/client-firehose") as typeof import("@aws-sdk/client-firehose");
    return new FirehoseClient(config);
  },
  s3(config) {
    const { S3Client } = require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3");
    return new S3Client(config);
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

/** Whether an AWS error code (an error's name, or a batch entry's ErrorCode) means the caller lacks permission. */
export function isAccessDenied(code: string | undefined): boolean {
  return code !== undefined && /AccessDenied|NotAuthorized/.test(code);
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
