import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  CUSTOM_PREFIX,
  type CustomSchemeDefinition,
  customSchemeProblems,
  customSignsUrl,
  FunctionEnv,
  type HeaderFamily,
  isPresetId,
  PROVIDER_ID_MAX_CHARS,
  type PresetId,
  type ProviderRuntimeConfig,
  presetSignsUrl,
  type SchemeRef,
  schemeFor,
  type WebhookScheme,
} from "@webhooks/shared";

/**
 * The validator's allow-list: a JSON array of {@link ProviderRuntimeConfig} in its deployment
 * package, beside `index.js`. A file, not an environment variable: Lambda caps all variables
 * together at 4 KB, which a few dozen providers would fill.
 */
export const PROVIDERS_FILE = "providers.json";

/** A provider id: a path segment, a header value, part of a secret name and of table keys. */
export const PROVIDER_ID = new RegExp(`^[a-z0-9][a-z0-9-]{0,${PROVIDER_ID_MAX_CHARS - 1}}$`);

/**
 * Room kept below the queue's size limit for the message attributes (webhookId, provider: names,
 * types and values are well under 200 bytes) so a message that fits the check fits SQS.
 */
export const QUEUE_ATTRIBUTE_MARGIN_BYTES = 1024;

export interface ValidatorConfig {
  /** From {@link PROVIDERS_FILE}; the allow-list. */
  readonly providers: readonly ProviderRuntimeConfig[];
  /** `TABLE_NAME`. */
  readonly tableName: string;
  /** `QUEUE_URL`; a URL ending `.fifo` is sent with a message group and deduplication id. */
  readonly queueUrl: string;
  /** `PAYLOAD_BUCKET`, for claim-checked payloads. */
  readonly payloadBucket: string;
  /** `MAX_BODY_BYTES`: larger decoded bodies get 413. @default 1048576 (1 MiB) */
  readonly maxBodyBytes: number;
  /** `QUEUE_MAX_MESSAGE_BYTES`: the queue's `max_message_size`. @default 1048576 (1 MiB) */
  readonly queueMaxMessageBytes: number;
  /**
   * `DEDUPE_TTL_SECONDS`: how long a delivery id is remembered, for providers that set none
   * (`dedupeTtlSeconds` in {@link PROVIDERS_FILE}). @default 604800 (7 days)
   */
  readonly dedupeTtlSeconds: number;
  /** `SECRET_CACHE_SECONDS`: how long fetched secrets are reused. @default 300 (5 minutes) */
  readonly secretCacheSeconds: number;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads and checks the validator's environment and its providers (the text of
 * {@link PROVIDERS_FILE}). Throws {@link ConfigError} naming the variable or the file, so a
 * misconfigured function fails its init with the reason in the log.
 *
 * @example loadConfig(process.env, readProvidersFile(__dirname)).providers.map((p) => p.id) // ["stripe", "github"]
 */
export function loadConfig(env: Env, providersJson: string): ValidatorConfig {
  const config: ValidatorConfig = {
    providers: parseProviders(providersJson),
    tableName: required(env, FunctionEnv.tableName),
    queueUrl: required(env, FunctionEnv.queueUrl),
    payloadBucket: required(env, FunctionEnv.payloadBucket),
    maxBodyBytes: positiveInteger(env, FunctionEnv.maxBodyBytes, 1_048_576),
    queueMaxMessageBytes: positiveInteger(env, FunctionEnv.queueMaxMessageBytes, 1_048_576),
    dedupeTtlSeconds: positiveInteger(env, FunctionEnv.dedupeTtlSeconds, 604_800),
    secretCacheSeconds: positiveInteger(env, FunctionEnv.secretCacheSeconds, 300),
  };
  if (config.queueMaxMessageBytes <= 2 * QUEUE_ATTRIBUTE_MARGIN_BYTES) {
    throw new ConfigError(
      `${FunctionEnv.queueMaxMessageBytes} must exceed ${2 * QUEUE_ATTRIBUTE_MARGIN_BYTES} (a reference envelope must fit)`,
    );
  }
  return config;
}

function required(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === "") throw new ConfigError(`${name} is not set`);
  return value;
}

function positiveInteger(env: Env, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === "") return fallback;
  if (!/^[0-9]{1,15}$/.test(value) || Number(value) === 0) {
    throw new ConfigError(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** The text of {@link PROVIDERS_FILE} in `dir` (the function's code directory). */
export function readProvidersFile(dir: string): string {
  const path = join(dir, PROVIDERS_FILE);
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new ConfigError(`${PROVIDERS_FILE} cannot be read from ${dir}: ${code ?? message}`);
  }
}

/**
 * Parses {@link PROVIDERS_FILE}, filling defaults (`toleranceSeconds`: the preset's, 300 for most).
 * The synth checked all of it; this catches a hand-edited file at init, not at the first request.
 */
export function parseProviders(json: string): ProviderRuntimeConfig[] {
  const name = PROVIDERS_FILE;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ConfigError(`${name} is not JSON`);
  }
  if (!Array.isArray(value) || value.length === 0)
    throw new ConfigError(`${name} must be a non-empty JSON array`);
  const seen = new Set<string>();
  return value.map((entry: unknown, index) => {
    const at = `${name}[${index}]`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry))
      throw new ConfigError(`${at} is not an object`);
    const {
      id,
      scheme,
      secretId,
      toleranceSeconds,
      headerFamily,
      publicUrl,
      settings,
      custom,
      dedupeTtlSeconds,
    } = entry as Record<string, unknown>;
    if (typeof id !== "string" || !PROVIDER_ID.test(id)) {
      throw new ConfigError(`${at}.id must match ${PROVIDER_ID.source}`);
    }
    if (seen.has(id)) throw new ConfigError(`${at}.id ${id} appears twice`);
    seen.add(id);
    const compiled = compiledScheme(scheme, custom, at);
    if (typeof secretId !== "string" || secretId === "")
      throw new ConfigError(`${at}.secretId must be a non-empty string`);
    if (toleranceSeconds !== undefined && !isPositiveInteger(toleranceSeconds)) {
      throw new ConfigError(`${at}.toleranceSeconds must be a positive integer`);
    }
    if (
      headerFamily !== undefined &&
      (scheme !== "standard-webhooks" || (headerFamily !== "webhook" && headerFamily !== "svix"))
    ) {
      throw new ConfigError(
        `${at}.headerFamily is "webhook" or "svix", and only for the standard-webhooks scheme`,
      );
    }
    const signsUrl = isPresetId(scheme as string)
      ? presetSignsUrl(scheme as PresetId)
      : customSignsUrl(custom as CustomSchemeDefinition);
    if (publicUrl !== undefined && (typeof publicUrl !== "string" || !/^https?:\/\/[^\s]+$/.test(publicUrl)))
      throw new ConfigError(`${at}.publicUrl must be an absolute http(s) URL`);
    if (signsUrl && publicUrl === undefined)
      throw new ConfigError(
        `${at}.publicUrl is required: the ${scheme} scheme signs the URL the sender calls`,
      );
    if (settings !== undefined && !isStringRecord(settings))
      throw new ConfigError(`${at}.settings must be an object of strings`);
    if (dedupeTtlSeconds !== undefined && !isPositiveInteger(dedupeTtlSeconds))
      throw new ConfigError(`${at}.dedupeTtlSeconds must be a positive integer`);
    return {
      id,
      scheme: scheme as SchemeRef,
      secretId,
      toleranceSeconds: (toleranceSeconds as number | undefined) ?? compiled.defaultToleranceSeconds ?? 300,
      ...(headerFamily === undefined ? {} : { headerFamily: headerFamily as HeaderFamily }),
      ...(publicUrl === undefined ? {} : { publicUrl: publicUrl as string }),
      ...(settings === undefined ? {} : { settings: settings as Record<string, string> }),
      ...(custom === undefined ? {} : { custom: custom as CustomSchemeDefinition }),
      ...(dedupeTtlSeconds === undefined ? {} : { dedupeTtlSeconds: dedupeTtlSeconds as number }),
    };
  });
}

/** The provider's scheme, compiled now so a bad custom definition fails the init, not a request. */
function compiledScheme(scheme: unknown, custom: unknown, at: string): WebhookScheme {
  if (typeof scheme !== "string" || !(isPresetId(scheme) || scheme.startsWith(CUSTOM_PREFIX)))
    throw new ConfigError(`${at}.scheme must be a preset id or custom:<name>, got ${JSON.stringify(scheme)}`);
  if (scheme.startsWith(CUSTOM_PREFIX)) {
    if (typeof custom !== "object" || custom === null || Array.isArray(custom))
      throw new ConfigError(`${at}.custom must hold the definition of ${scheme}`);
    const problems = customSchemeProblems(custom as CustomSchemeDefinition);
    if (problems.length > 0) throw new ConfigError(`${at}.custom.${problems[0]![0]} ${problems[0]![1]}`);
  } else if (custom !== undefined) {
    throw new ConfigError(`${at}.custom is only for custom:<name> schemes`);
  }
  try {
    const compiled = schemeFor(scheme, custom as CustomSchemeDefinition | undefined);
    compiled.headers();
    return compiled;
  } catch (error) {
    throw new ConfigError(`${at}.custom: ${(error as Error).message}`);
  }
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value > 0;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((entry) => typeof entry === "string")
  );
}
