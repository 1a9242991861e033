import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import type { ProviderRuntimeConfig } from "@webhooks/shared";
import type { PlatformConfig } from "../../stacks/config";
import { SYNTH_FAILURE_FILE, type SynthFailure } from "../../stacks/synth-failure";
import { CommandError, type Output, UsageError } from "./command";
import { readDevState } from "./dev/state";
import { holdsApiGatewayAccount, isPlatformStack, type StackModel, stackModel } from "./stack-model";

export type { EventDlq, EventDlqDestination, QueueRedrive, StackModel, StackRule } from "./stack-model";

/** The synthesized stack's file inside a stack directory. */
export const STACK_FILE = "cdk.tf.json";

/** The variables the app reads to choose and configure the stack it synthesizes. */
export const WEBHOOK_VARIABLES = [
  "WEBHOOK_CONFIG",
  "WEBHOOK_ENVIRONMENT",
  "WEBHOOK_ENVIRONMENT_SUFFIX",
  "WEBHOOK_REGION",
] as const;

const SYNTH_HINT =
  "run `npm run synth` with the same WEBHOOK_* environment (WEBHOOK_CONFIG, WEBHOOK_ENVIRONMENT, …) you deployed with";

/** Options every stack-reading command takes. */
export const STACK_OPTIONS = {
  stack: { type: "string" },
  "stack-dir": { type: "string" },
} as const;

export const STACK_HELP = `  --stack <name>        the synthesized stack to read, a directory of cdktf.out/stacks (or
                        CDKTF_OUTDIR), e.g. webhooks-prod (default: the stack the WEBHOOK_*
                        environment synthesizes when any is set, else the only environment stack)
  --stack-dir <dir>     a synthesized stack directory anywhere (instead of --stack)`;

/** Commands that also run against `webhooks dev` take this option. */
export const DEV_OPTIONS = {
  dev: { type: "boolean" },
} as const;

export const DEV_HELP = `  --dev                 the local instance \`webhooks dev\` runs in this directory, instead of a
                        synthesized stack and AWS (no account, no credentials)`;

export interface StackOptions {
  readonly stack?: string | undefined;
  readonly "stack-dir"?: string | undefined;
  /** The running `webhooks dev` instead of a synthesized stack (commands with {@link DEV_OPTIONS}). */
  readonly dev?: boolean | undefined;
}

/** Where the command runs; with `stderr`, warnings about the stack are written there. */
export interface StackContext {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stderr?: Output;
}

interface ChosenStack {
  readonly dir: string;
  /** The document, when choosing had to read it. */
  readonly doc?: unknown;
}

/**
 * The stack directory: `--stack-dir`, else `--stack`, else the stack the WEBHOOK_* environment
 * synthesizes (as `npm run synth` names it), else the only environment stack under
 * `<CDKTF_OUTDIR or cdktf.out>/stacks`. A string is taken as `--stack-dir`.
 *
 * @example resolveStackDir({ stack: "webhooks-prod" }, { cwd: "/repo", env: {} }) // "/repo/cdktf.out/stacks/webhooks-prod"
 */
export function resolveStackDir(options: StackOptions | string | undefined, where: StackContext): string {
  return chooseStack(typeof options === "string" ? { "stack-dir": options } : (options ?? {}), where).dir;
}

/** The parsed `cdk.tf.json` of a stack directory. */
export function readStackDocument(dir: string): unknown {
  const file = join(dir, STACK_FILE);
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new CommandError(`cannot read ${file}: ${(error as Error).message}; ${SYNTH_HINT}`);
  }
}

/**
 * Loads the model of the chosen platform stack (see {@link resolveStackDir}), or with `dev` the
 * model the running `webhooks dev` wrote. A stack without the platform (the regional stack) is
 * refused: the AWS commands need its table, bus and queues.
 */
export function loadStack(options: StackOptions, where: StackContext): StackModel {
  if (options.dev) {
    const other =
      options.stack !== undefined ? "--stack" : options["stack-dir"] !== undefined ? "--stack-dir" : "";
    if (other)
      throw new UsageError(`--dev and ${other} are exclusive: the local instance or a synthesized stack`);
    return readDevState(where.cwd).stack;
  }
  const chosen = chooseStack(options, where);
  const doc = chosen.doc ?? readStackDocument(chosen.dir);
  if (!isPlatformStack(doc)) {
    const what = holdsApiGatewayAccount(doc)
      ? "the regional stack (the region's API Gateway account setting and its role)"
      : "not a webhook platform stack";
    const others = platformStacks(dirname(chosen.dir));
    const choose = others.length > 0 ? `; choose an environment stack: ${others.join(", ")}` : "";
    throw new UsageError(
      `stack ${basename(chosen.dir)} is ${what}: it has no records table, event bus or queues${choose}`,
    );
  }
  return stackModel(doc, chosen.dir);
}

/** A value the stack must have, or an error saying the synthesized stack lacks it. */
export function fromStack<T>(value: T | undefined, what: string, stack: StackModel): T {
  if (value === undefined) throw new CommandError(`the stack in ${stack.dir} has no ${what}; ${SYNTH_HINT}`);
  return value;
}

/** The provider of the stack with this id (`--provider`), or a usage error naming the known ones. */
export function providerOf(stack: StackModel, id: string): ProviderRuntimeConfig {
  const provider = stack.providers.find((candidate) => candidate.id === id);
  if (provider) return provider;
  const known = stack.providers.map((candidate) => candidate.id).join(", ") || "none";
  throw new UsageError(`--provider: ${id} is not a provider of the stack (${known})`);
}

function chooseStack(options: StackOptions, where: StackContext): ChosenStack {
  if (options.stack !== undefined && options["stack-dir"] !== undefined) {
    throw new UsageError("--stack and --stack-dir are exclusive: choose the stack one way");
  }
  const stacksDir = resolve(where.cwd, where.env.CDKTF_OUTDIR ?? "cdktf.out", "stacks");
  const shown = relative(where.cwd, stacksDir) || stacksDir;
  let chosen: ChosenStack;
  if (options["stack-dir"] !== undefined) {
    chosen = { dir: explicitDir(options["stack-dir"], "--stack-dir", stacksDir, where.cwd) };
  } else if (options.stack !== undefined) {
    chosen = { dir: namedStack(options.stack, stacksDir, shown, where.cwd) };
  } else {
    chosen = environmentStack(stacksDir, shown, where) ?? onlyPlatformStack(stacksDir, shown);
  }
  if (where.stderr) {
    const warning = synthFailureWarning(chosen.dir, where.cwd);
    if (warning) where.stderr.write(`${warning}\n`);
  }
  return chosen;
}

function explicitDir(value: string, option: string, stacksDir: string, cwd: string): string {
  const dir = resolve(cwd, value);
  if (existsSync(join(dir, STACK_FILE))) return dir;
  const named = !looksLikePath(value) && existsSync(join(stacksDir, value, STACK_FILE));
  const hint = named ? `; ${value} is a stack name: use --stack ${value}` : `; ${SYNTH_HINT}`;
  throw new UsageError(`${option}: ${value} holds no ${STACK_FILE}${hint}`);
}

function looksLikePath(value: string): boolean {
  return value.includes("/") || value.includes("\\") || value.startsWith(".");
}

function namedStack(name: string, stacksDir: string, shown: string, cwd: string): string {
  if (looksLikePath(name)) return explicitDir(name, "--stack", stacksDir, cwd);
  if (existsSync(join(stacksDir, name, STACK_FILE))) return join(stacksDir, name);
  const known = stackDirs(stacksDir);
  throw new UsageError(
    `--stack: ${name} is not a synthesized stack under ${shown} (${known.join(", ") || "none"})`,
  );
}

/** The stack `npm run synth` writes for the WEBHOOK_* environment, when any of it is set. */
function environmentStack(stacksDir: string, shown: string, where: StackContext): ChosenStack | undefined {
  const set = WEBHOOK_VARIABLES.filter((name) => where.env[name] !== undefined);
  if (set.length === 0) return undefined;
  const settings = set.map((name) => `${name}=${where.env[name]}`).join(", ");
  const id = synthStackId(where, settings);
  if (existsSync(join(stacksDir, id, STACK_FILE))) return { dir: join(stacksDir, id) };
  const known = stackDirs(stacksDir);
  throw new CommandError(
    `${settings} synthesizes stack ${id}, which is not under ${shown} (${known.join(", ") || "none"}): run \`npm run synth\` with this environment, or choose another with --stack`,
  );
}

/** `stackIdFor(loadConfig(env))`, as the app computes it; a configuration error is bad input. */
function synthStackId(where: StackContext, settings: string): string {
  const { stackIdFor } = require("../../stacks/stack-ids") as typeof import("../../stacks/stack-ids");
  return stackIdFor(
    loadConfiguration(
      where,
      settings,
      "fix WEBHOOK_CONFIG or the WEBHOOK_* variables, or choose the stack with --stack",
    ),
  );
}

/**
 * The configuration the WEBHOOK_* environment names, loaded and checked as the app does; a
 * configuration that does not load is bad input, its first problem named, then `remedy`.
 */
export function loadConfiguration(where: StackContext, settings: string, remedy: string): PlatformConfig {
  // Loaded only when asked for: the configuration loader is not needed otherwise.
  const { loadConfig } = require("../../stacks/config") as typeof import("../../stacks/config");
  const file = where.env.WEBHOOK_CONFIG;
  // loadConfig reads the file relative to the process; the CLI resolves paths against its cwd.
  const env = { ...where.env, ...(file ? { WEBHOOK_CONFIG: resolve(where.cwd, file) } : {}) };
  try {
    return loadConfig(env);
  } catch (error) {
    const problems = (error as { problems?: readonly string[] }).problems;
    const first = problems?.[0] ?? (error as Error).message.split("\n")[0];
    const more = problems && problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
    throw new UsageError(`the configuration of ${settings} does not load: ${first}${more}; ${remedy}`);
  }
}

function onlyPlatformStack(stacksDir: string, shown: string): ChosenStack {
  const dirs = stackDirs(stacksDir);
  if (dirs.length === 0) throw new CommandError(`no synthesized stack under ${shown}: ${SYNTH_HINT}`);
  const docs = dirs.map((name) => ({ name, doc: readStackDocument(join(stacksDir, name)) }));
  const platform = docs.filter(({ doc }) => isPlatformStack(doc));
  if (platform.length === 1) return { dir: join(stacksDir, platform[0]!.name), doc: platform[0]!.doc };
  if (platform.length === 0) {
    throw new CommandError(
      `no environment stack under ${shown}, only ${dirs.join(", ")} (no records table): ${SYNTH_HINT}`,
    );
  }
  const names = platform.map(({ name }) => name);
  throw new UsageError(
    `${shown} holds ${names.length} environment stacks (${names.join(", ")}): choose one with --stack ${names[0]}, or set the WEBHOOK_* environment it was synthesized with (WEBHOOK_CONFIG, WEBHOOK_ENVIRONMENT, …)`,
  );
}

/** Directory names under `stacks` that hold a synthesized stack, sorted. */
function stackDirs(stacksDir: string): string[] {
  return existsSync(stacksDir)
    ? readdirSync(stacksDir)
        .filter((name) => existsSync(join(stacksDir, name, STACK_FILE)))
        .sort()
    : [];
}

function platformStacks(stacksDir: string): string[] {
  return stackDirs(stacksDir).filter((name) => isPlatformStack(readStackDocument(join(stacksDir, name))));
}

/**
 * A warning when the output directory's {@link SYNTH_FAILURE_FILE} is newer than the stack: the
 * last synth (of this stack, or of one the marker does not name) failed after the stack was written.
 */
function synthFailureWarning(dir: string, cwd: string): string | undefined {
  // The marker sits in the output directory: <outdir>/stacks/<id> → <outdir>.
  if (basename(dirname(dir)) !== "stacks") return undefined;
  const marker = join(dirname(dirname(dir)), SYNTH_FAILURE_FILE);
  if (!existsSync(marker)) return undefined;
  let failure: Partial<SynthFailure> = {};
  try {
    failure = JSON.parse(readFileSync(marker, "utf8"));
  } catch {}
  if (failure.stack !== undefined && failure.stack !== basename(dir)) return undefined;
  const declared = typeof failure.at === "string" ? Date.parse(failure.at) : Number.NaN;
  const failedAt = Number.isNaN(declared) ? statSync(marker).mtimeMs : declared;
  const stackFile = join(dir, STACK_FILE);
  if (failedAt <= statSync(stackFile).mtimeMs) return undefined;
  const problem = Array.isArray(failure.problems) && failure.problems[0] ? `: ${failure.problems[0]}` : "";
  return `warning: the last synth failed at ${new Date(failedAt).toISOString()}${problem}; ${relative(cwd, stackFile) || stackFile} is older and may not reflect the current configuration`;
}
