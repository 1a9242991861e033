import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { CommandError, UsageError } from "../command";
import type { StackModel } from "../stack-model";
import { signingSecrets } from "./secrets";

/** Where `webhooks dev` keeps its files, in the directory it runs in (git-ignored). */
export const DEV_DIR = ".webhooks-dev";
/** The running instance's state: what `--dev` commands read. Removed when the server stops. */
export const STATE_FILE = "state.json";
/** The default local secrets file. */
export const SECRETS_FILE = "secrets.json";

/** Credentials the SDK signs local requests with: the local endpoint checks none. */
export const LOCAL_CREDENTIALS = { accessKeyId: "webhooks-dev", secretAccessKey: "webhooks-dev" } as const;

/** What a running `webhooks dev` tells the CLI's `--dev` commands. */
export interface DevState {
  readonly pid: number;
  readonly startedAt: string;
  /** The webhook API, e.g. `http://127.0.0.1:8790`. */
  readonly url: string;
  /** The local AWS endpoint (DynamoDB and SQS). */
  readonly awsEndpoint: string;
  /** The API key of routes that require one. */
  readonly apiKey: string;
  readonly secretsFile: string;
  /** Secrets given with `--secret` (they override the file). */
  readonly fromFlags: Readonly<Record<string, readonly string[]>>;
  /** The API's routes. */
  readonly endpoints: ReadonlyArray<{
    readonly id: string;
    readonly path: string;
    readonly apiKeyRequired: boolean;
  }>;
  /** The local instance as the AWS commands see a stack, with `localEndpoint` set. */
  readonly stack: StackModel;
}

export function writeDevState(dir: string, state: DevState): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, STATE_FILE);
  // It holds the API key and any --secret: readable by this user only.
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** Removes the state file if it is still this process's (another instance may have started since). */
export function removeDevState(dir: string, pid: number): void {
  const file = join(dir, STATE_FILE);
  try {
    if ((JSON.parse(readFileSync(file, "utf8")) as DevState).pid === pid) rmSync(file);
  } catch {}
}

/**
 * The state of the `webhooks dev` running in `cwd`, or an error saying how to start one. A state
 * left by a killed server (its process is gone) counts as none.
 */
export function readDevState(cwd: string): DevState {
  const file = join(cwd, DEV_DIR, STATE_FILE);
  const shown = relative(cwd, file) || file;
  const start = "start it in this directory with `npx webhooks dev`";
  if (!existsSync(file)) throw new CommandError(`no webhooks dev is running here (no ${shown}): ${start}`);
  let state: DevState;
  try {
    state = JSON.parse(readFileSync(file, "utf8")) as DevState;
  } catch (error) {
    throw new CommandError(`${shown} is not readable JSON (${(error as Error).message}): ${start}`);
  }
  if (!isRunning(state.pid)) {
    throw new CommandError(
      `the webhooks dev that wrote ${shown} (pid ${state.pid}) is not running: ${start}`,
    );
  }
  return state;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Where and how `webhooks send --dev` sends as a provider: the local route, its secrets, its API key. */
export interface DevTarget {
  readonly url: string;
  /** The provider's secrets, the signing one first. */
  readonly secrets: readonly string[];
  /** Header lines the route needs besides the signature (`x-api-key` where required). */
  readonly headers: readonly string[];
}

export function devTarget(state: DevState, providerId: string | undefined): DevTarget {
  if (providerId === undefined) {
    throw new UsageError("--dev needs --provider: the provider whose local route and secret to use");
  }
  const endpoint = state.endpoints.find((candidate) => candidate.id === providerId);
  if (!endpoint) {
    const known = state.stack.providers.map((provider) => provider.id).join(", ");
    throw new UsageError(
      `--provider: ${providerId} is not a provider of the running webhooks dev (${known})`,
    );
  }
  return {
    url: `${state.url}${endpoint.path}`,
    secrets: signingSecrets({ file: state.secretsFile, fromFlags: state.fromFlags }, providerId),
    headers: endpoint.apiKeyRequired ? [`x-api-key: ${state.apiKey}`] : [],
  };
}
