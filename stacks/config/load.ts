import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { DEFAULT_CONFIG, DEFAULT_LIMITS } from "./defaults";
import { checkRules } from "./rules";
import { CONFIG_FILE } from "./schema";
import { isPlainObject, Problems, shown } from "./shape";
import type { ConfigFile, PlatformConfig } from "./types";
import { ConfigError } from "./validate";

/** The variables that override a field of the file, applied after it. */
const OVERRIDES = [
  ["WEBHOOK_ENVIRONMENT", "environment"],
  ["WEBHOOK_ENVIRONMENT_SUFFIX", "environmentSuffix"],
  ["WEBHOOK_REGION", "region"],
] as const;

/**
 * The configuration `main.ts` synthesizes: the JSON file named by `WEBHOOK_CONFIG` (see
 * {@link resolveConfig}), then `WEBHOOK_ENVIRONMENT`, `WEBHOOK_ENVIRONMENT_SUFFIX` and
 * `WEBHOOK_REGION`. Throws {@link ConfigError}: one line naming `WEBHOOK_CONFIG` when the file
 * cannot be read or parsed, else every problem in it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const path = env.WEBHOOK_CONFIG;
  if (!path) return resolveConfig({}, env, "the default configuration (no WEBHOOK_CONFIG)");
  return resolveConfig(readConfigFile(path), env, `WEBHOOK_CONFIG=${path}`);
}

function readConfigFile(path: string): unknown {
  const named = `WEBHOOK_CONFIG=${path}`;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError([`${named}: ${readFailure(error as NodeJS.ErrnoException, path)}`]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`${named}: not valid JSON: ${jsonFailure((error as Error).message, text)}`]);
  }
}

function readFailure(error: NodeJS.ErrnoException, path: string): string {
  const where = isAbsolute(path) ? "" : ` (resolved to ${resolve(path)})`;
  if (error.code === "ENOENT") return `no such file${where}`;
  if (error.code === "EISDIR") return `is a directory, not a JSON file${where}`;
  if (error.code === "EACCES") return `not readable (permission denied)${where}`;
  return error.message;
}

/** V8's message with its character position as a line and column (Node 20 gives only the position). */
function jsonFailure(message: string, text: string): string {
  return message.replace(
    /(?: in| after)? JSON at position (\d+)(?: \(line \d+ column \d+\))?/,
    (_, position: string) => {
      const before = text.slice(0, Number(position)).split("\n");
      return ` at line ${before.length} column ${before.at(-1)!.length + 1}`;
    },
  );
}

/**
 * A configuration file's content over the defaults, then the `WEBHOOK_*` overrides in `env`.
 * `limits` merge with the default limits; any other field replaces its default. The example
 * providers and route apply only when the file sets neither `providers` nor `routes`: a file that
 * sets providers gets no example route, and one that sets routes must set providers.
 * Throws {@link ConfigError} with every problem: shape and types first, then the rules between fields.
 */
export function resolveConfig(
  file: unknown,
  env: NodeJS.ProcessEnv = {},
  source = "the configuration file",
): PlatformConfig {
  if (!isPlainObject(file))
    throw new ConfigError([`expected a JSON object ({ ... }) at the top level, got ${shown(file)}`], source);
  const problems = new Problems();
  CONFIG_FILE.check(file, "", problems);
  const { $schema: _, ...fields } = file as ConfigFile;
  if (fields.routes !== undefined && fields.providers === undefined)
    problems.add(
      "providers",
      "missing; a file that sets routes must set providers too (the example providers apply only when the file sets neither)",
      true,
    );
  for (const [variable, field] of OVERRIDES) {
    const value = env[variable];
    if (value === undefined) continue;
    const override = new Problems();
    CONFIG_FILE.check({ [field]: value }, "", override);
    for (const { message } of override.list) problems.add(variable, message);
  }

  const examples = fields.providers === undefined && fields.routes === undefined;
  const environment = env.WEBHOOK_ENVIRONMENT ?? fields.environment ?? DEFAULT_CONFIG.environment;
  const config: PlatformConfig = {
    ...DEFAULT_CONFIG,
    production: environment === "prod",
    ...(examples ? {} : { providers: [], routes: [] }),
    ...fields,
    environment,
    environmentSuffix:
      env.WEBHOOK_ENVIRONMENT_SUFFIX ?? fields.environmentSuffix ?? DEFAULT_CONFIG.environmentSuffix,
    region: env.WEBHOOK_REGION ?? fields.region ?? DEFAULT_CONFIG.region,
    limits: { ...DEFAULT_LIMITS, ...(isPlainObject(fields.limits) ? fields.limits : {}) },
  };
  checkRules(config, problems);
  if (problems.list.length > 0) throw new ConfigError(problems.lines(), source);
  return config;
}
