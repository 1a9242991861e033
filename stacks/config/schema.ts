import { type CustomSchemeDefinition, PRESET_IDS, type SchemeRef } from "@webhooks/shared";
import { REST_API_RESOURCES_DEFAULT } from "../../constructs/quotas";
import { closestKey } from "./hints";
import {
  array,
  boolean,
  constant,
  integer,
  object,
  oneOf,
  openObject,
  record,
  type Shape,
  shown,
  string,
  tagged,
} from "./shape";
import type {
  ConfigFile,
  LimitsConfig,
  LocalBackendConfig,
  ProviderConfig,
  RouteConfig,
  S3BackendConfig,
} from "./types";

// The shape and per-field limits of a configuration file: what `validateConfig` checks first and
// what `npm run schema` writes as JSON Schema. Checks between fields are in ./rules.

export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
const REGION = string({
  pattern: /^[a-z]{2}(-[a-z]+)+-\d$/,
  expected: "an AWS region name such as eu-west-1",
});

/** Values CloudWatch Logs accepts for retention_in_days. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

const id = (what: string) =>
  string({
    pattern: ID_PATTERN,
    expected: `${what} of lowercase letters, digits and -, at most 32 (${ID_PATTERN.source})`,
  });

/** Signing secrets are never configuration: a key that looks like one says where the secret goes. */
function secretHint(key: string, provider: Record<string, unknown>): string | undefined {
  if (!/secret/i.test(key)) return undefined;
  const providerId = typeof provider.id === "string" ? provider.id : "<id>";
  return `signing secrets never go in the configuration file; put it in Secrets Manager as <prefix>-<env>[-<suffix>]/${providerId}/signing (README: Signing secrets)`;
}

const CUSTOM_REF = new RegExp(`^custom:${ID_PATTERN.source.slice(1)}`);

/** A preset id, or `custom:<name>`; a near miss gets the closest preset id as a hint. */
const SCHEME_REF: Shape<SchemeRef> = {
  check(value, path, problems) {
    if (typeof value !== "string") return problems.add(path, `expected a string, got ${shown(value)}`, true);
    if ((PRESET_IDS as readonly string[]).includes(value) || CUSTOM_REF.test(value)) return;
    const closest = closestKey(value, PRESET_IDS);
    problems.add(
      path,
      `expected a preset id (docs/signature-schemes.md lists them) or custom:<name>, got ${shown(value)}${closest ? `; did you mean ${closest}?` : ""}`,
    );
  },
  jsonSchema: () => ({ type: "string", anyOf: [{ enum: PRESET_IDS }, { pattern: CUSTOM_REF.source }] }),
};

const HEADER_NAME = string({
  pattern: /^[A-Za-z0-9-]{1,64}$/,
  expected: "a header name of letters, digits and -, at most 64",
});
const BODY_FIELD = string({
  pattern: /^[A-Za-z0-9_$@-]{1,64}(\.[A-Za-z0-9_$@-]{1,64}){0,7}$/,
  expected: "a dotted path of up to 8 field names (digits index arrays), e.g. signature.token",
});
const FIELD_NAME = string({
  pattern: /^[A-Za-z0-9_-]{1,32}$/,
  expected: "a field name of letters, digits, _ and -",
});
const PREFIX = string({ pattern: /^[\x21-\x7e]{1,32}$/, expected: "1 to 32 printable ASCII characters" });

const CUSTOM_SCHEME = object<CustomSchemeDefinition>(
  {
    algorithm: oneOf(["sha1", "sha256", "sha512"]),
    signatureHeader: HEADER_NAME,
    signatureBodyField: BODY_FIELD,
    signaturePrefix: PREFIX,
    signatureField: FIELD_NAME,
    listSeparator: oneOf([",", ";"]),
    encoding: oneOf(["hex", "base64", "base64url"]),
    signedContent: string({ minLength: 1, maxLength: 256 }),
    timestampHeader: HEADER_NAME,
    timestampField: FIELD_NAME,
    timestampBodyField: BODY_FIELD,
    timestampFormat: oneOf(["unix-s", "unix-ms", "rfc3339"]),
    toleranceWindow: oneOf(["two-sided", "past-only"]),
    secretEncoding: oneOf(["utf8", "base64", "hex"]),
    secretPrefix: PREFIX,
    deliveryIdHeader: HEADER_NAME,
    deliveryIdBodyField: BODY_FIELD,
    eventTypeHeader: HEADER_NAME,
    eventTypeBodyField: BODY_FIELD,
    retryHorizonHours: integer({ minimum: 0, maximum: 8760 }),
  },
  { docs: ["CustomSchemeDefinition"], noun: "a custom scheme", required: ["retryHorizonHours"] },
);

const PROVIDER = object<ProviderConfig>(
  {
    id: id("an id"),
    scheme: SCHEME_REF,
    toleranceSeconds: integer({ minimum: 1, maximum: 3600 }),
    headerFamily: oneOf(["webhook", "svix"]),
    publicUrl: string({
      pattern: /^https:\/\/[^\s/?#]+[^\s#]*$/,
      expected: "an absolute https URL without a fragment, e.g. https://hooks.example.com/webhooks/square",
    }),
    settings: record(
      string({ pattern: /^[A-Za-z][A-Za-z0-9]{0,31}$/, expected: "a setting name" }),
      string({ minLength: 1, maxLength: 256 }),
    ),
    dedupeTtlHours: integer({ minimum: 1, maximum: 8760 }),
    apiKeyRequired: boolean(),
    wafRateLimitPer5Min: integer({ minimum: 10, why: "the WAF minimum" }),
  },
  { docs: ["ProviderConfig"], noun: "a provider", required: ["id", "scheme"], unknownKeyHint: secretHint },
);

const ROUTE = object<RouteConfig>(
  {
    id: id("an id"),
    description: string({ minLength: 1 }),
    eventPattern: openObject({ expected: "a non-empty EventBridge pattern object" }),
  },
  { docs: ["RouteConfig"], noun: "a route", required: ["id", "eventPattern"] },
);

const positive = (options: Parameters<typeof integer>[0] = {}) => integer({ minimum: 1, ...options });

const LIMITS = object<LimitsConfig>(
  {
    maxBodyBytes: positive({
      maximum: 4_194_304,
      why: "base64 of a larger body exceeds Lambda's 6 MB invoke limit",
    }),
    dedupeTtlHours: positive({ minimum: 72, why: "Stripe retries for 3 days" }),
    throttleRateLimit: positive(),
    throttleBurstLimit: positive(),
    quotaPerDay: positive(),
    wafRateLimitPer5Min: positive({ minimum: 10, why: "the WAF minimum" }),
    validatorConcurrency: positive(),
    routerConcurrency: positive({
      minimum: 2,
      maximum: 1000,
      why: "the SQS event source's maximum concurrency range",
    }),
    maxReceiveCount: positive({ maximum: 1000 }),
    archiveRetentionDays: positive({ maximum: 3650 }),
    logRetentionDays: integer({ values: LOG_RETENTION_DAYS, why: "a CloudWatch Logs retention" }),
    glacierAfterDays: positive(),
    restApiResourceQuota: positive({ minimum: REST_API_RESOURCES_DEFAULT, why: "API Gateway's default" }),
  },
  { docs: ["LimitsConfig"], noun: "limits" },
);

const BACKEND = tagged<LocalBackendConfig | S3BackendConfig>({
  local: object<LocalBackendConfig>(
    { type: constant("local"), directory: string({ minLength: 1 }) },
    { docs: ["LocalBackendConfig"], noun: "a local backend" },
  ),
  s3: object<S3BackendConfig>(
    {
      type: constant("s3"),
      bucket: string({
        pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
        expected: "an S3 bucket name (3 to 63 lowercase letters, digits, . and -)",
      }),
      region: REGION,
      keyPrefix: string({
        pattern: /^[\w.-]+(\/[\w.-]+)*$/,
        expected: "path segments of letters, digits, . _ - joined by /",
      }),
    },
    { docs: ["S3BackendConfig"], noun: "an S3 backend", required: ["bucket", "region"] },
  ),
});

/** A configuration file (`WEBHOOK_CONFIG`); also checks a complete {@link PlatformConfig}. */
export const CONFIG_FILE: Shape<ConfigFile> = object<ConfigFile>(
  {
    $schema: string({ minLength: 1 }),
    environment: string({
      pattern: /^[a-z][a-z0-9]{0,9}$/,
      expected: "a lowercase letter, then up to 9 lowercase letters or digits (^[a-z][a-z0-9]{0,9}$)",
    }),
    environmentSuffix: string({
      pattern: /^([a-z0-9][a-z0-9-]{0,39})?$/,
      expected: "empty, or up to 40 lowercase letters, digits and - (^[a-z0-9][a-z0-9-]{0,39}$)",
    }),
    region: REGION,
    prefix: string({
      pattern: /^[a-z][a-z0-9]{1,7}$/,
      expected: "a lowercase letter, then 1 to 7 lowercase letters or digits (^[a-z][a-z0-9]{1,7}$)",
    }),
    serviceName: string({ minLength: 1 }),
    production: boolean(),
    tags: record(
      string({
        pattern: /^(?!aws:)/,
        minLength: 1,
        maxLength: 128,
        expected: "1 to 128 characters, not starting with aws:",
      }),
      string({ maxLength: 256 }),
    ),
    providers: array(PROVIDER, { minItems: 1, expected: "at least one provider" }),
    customSchemes: record(id("a scheme name"), CUSTOM_SCHEME),
    routes: array(ROUTE),
    limits: LIMITS,
    fifoIngestQueue: boolean(),
    apiGatewayAccount: oneOf(["regional-stack", "existing"]),
    eventBusPublisherArns: array(
      string({
        pattern: /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/,
        expected: "an IAM role ARN (arn:aws:iam::<account>:role/<name>)",
      }),
    ),
    alarmEmail: string({ pattern: /^[^@\s]+@[^@\s]+\.[^@\s]+$/, expected: "an e-mail address" }),
    backend: BACKEND,
  },
  { docs: ["ConfigFile", "PlatformConfig"], noun: "a configuration" },
);
