import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DEFAULT_CONFIG,
  DEFAULT_LIMITS,
  loadConfig,
  type PlatformConfig,
  resolveConfig,
  validateConfig,
} from "../../stacks/config";
import { problemsOf } from "../support/config-problems";

const fileProblems = (file: unknown) => problemsOf(() => resolveConfig(file));
const configProblems = (config: PlatformConfig) => problemsOf(() => validateConfig(config));

const STRIPE = { id: "stripe", scheme: "stripe" };

function writeTemp(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "config-")), name);
  writeFileSync(path, text);
  return path;
}

test("the default configuration is valid and has an example provider for every scheme", () => {
  expect(configProblems(DEFAULT_CONFIG)).toEqual([]);
  expect(new Set(DEFAULT_CONFIG.providers.map((p) => p.scheme))).toEqual(
    new Set(["generic", "stripe", "github", "shopify", "slack", "standard-webhooks"]),
  );
  expect(DEFAULT_CONFIG.routes.length).toBeGreaterThan(0);
});

describe("each mistake in a configuration file is one line naming its path", () => {
  test.each<[string, unknown, string]>([
    [
      "a misspelt provider key, with the closest known key",
      { providers: [{ ...STRIPE, apiKeyRequried: true }] },
      "providers[0].apiKeyRequried: unknown key; did you mean apiKeyRequired?",
    ],
    [
      "an inline signing secret, with where secrets go",
      { providers: [{ ...STRIPE, secret: "whsec_abc" }] },
      "providers[0].secret: unknown key; signing secrets never go in the configuration file; put it in Secrets Manager as <prefix>-<env>[-<suffix>]/stripe/signing (README: Signing secrets)",
    ],
    [
      "an unknown limit, with the known ones",
      { limits: { bogusLimit: 5 } },
      `limits.bogusLimit: unknown key; expected one of ${Object.keys(DEFAULT_LIMITS).join(", ")}`,
    ],
    [
      "a misspelt top-level key",
      { enviroment: "prod" },
      "enviroment: unknown key; did you mean environment?",
    ],
    [
      "providers given as an object",
      { providers: { stripe: { scheme: "stripe" } } },
      "providers: expected an array, got an object",
    ],
    ["a tag value that is a number", { tags: { team: 5 } }, "tags.team: expected a string, got 5"],
    [
      "a backend type that is not local or s3",
      { backend: { type: "gcs", bucket: "state" } },
      'backend.type: expected one of local, s3, got "gcs"',
    ],
    [
      "a misspelt scheme, with the closest scheme",
      { providers: [{ id: "gh", scheme: "githb" }] },
      'providers[0].scheme: expected a preset id (docs/signature-schemes.md lists them) or custom:<name>, got "githb"; did you mean github?',
    ],
    [
      "a provider without a scheme",
      { providers: [{ id: "stripe" }] },
      "providers[0].scheme: missing; a provider needs id and scheme",
    ],
    [
      "a route naming the source of a provider that is not configured",
      { providers: [STRIPE], routes: [{ id: "r", eventPattern: { source: ["webhooks.paypal"] } }] },
      "routes[0].eventPattern.source: names webhooks.paypal, not a platform source (one per provider: webhooks.stripe)",
    ],
    [
      "routes without providers",
      { routes: [{ id: "r", eventPattern: { source: ["webhooks.stripe"] } }] },
      "providers: missing; a file that sets routes must set providers too (the example providers apply only when the file sets neither)",
    ],
    [
      "a flag written as a string",
      { fifoIngestQueue: "true" },
      'fifoIngestQueue: expected true or false, got "true"',
    ],
    [
      "an array instead of an object",
      [STRIPE],
      "expected a JSON object ({ ... }) at the top level, got an array",
    ],
  ])("%s", (_mistake, file, line) => {
    expect(fileProblems(file)).toEqual([line]);
  });

  test("an S3 backend without bucket and region: one line for each", () => {
    expect(fileProblems({ backend: { type: "s3" } })).toEqual([
      "backend.bucket: missing; an S3 backend needs bucket and region",
      "backend.region: missing; an S3 backend needs bucket and region",
    ]);
  });
});

describe("each value outside its limits is one line with the limit", () => {
  test.each<[string, Partial<PlatformConfig>, string]>([
    [
      "a provider id with capitals",
      { providers: [{ id: "Stripe", scheme: "stripe" }], routes: [] },
      'providers[0].id: expected an id of lowercase letters, digits and -, at most 32 (^[a-z0-9][a-z0-9-]{0,31}$), got "Stripe"',
    ],
    [
      "the generic route's reserved id as a provider id",
      { providers: [{ id: "webhook", scheme: "generic" }], routes: [] },
      'providers[0].id: "webhook" is reserved for the generic route /webhook; choose another id',
    ],
    [
      "a duplicate provider id",
      { providers: [STRIPE as never, { id: "stripe", scheme: "github" }] },
      'providers[1].id: "stripe" is already the id of providers[0]',
    ],
    [
      "a negative limit",
      { limits: { ...DEFAULT_LIMITS, maxReceiveCount: -1 } },
      "limits.maxReceiveCount: expected an integer in 1..1000, got -1",
    ],
    [
      "a fractional limit",
      { limits: { ...DEFAULT_LIMITS, quotaPerDay: 1.5 } },
      "limits.quotaPerDay: expected an integer ≥ 1, got 1.5",
    ],
    [
      "a body limit beyond Lambda's invoke payload",
      { limits: { ...DEFAULT_LIMITS, maxBodyBytes: 5_000_000 } },
      "limits.maxBodyBytes: expected an integer in 1..4194304 (base64 of a larger body exceeds Lambda's 6 MB invoke limit), got 5000000",
    ],
    [
      "a dedupe TTL shorter than Stripe's retries",
      { limits: { ...DEFAULT_LIMITS, dedupeTtlHours: 1 } },
      "limits.dedupeTtlHours: expected an integer ≥ 72 (Stripe retries for 3 days), got 1",
    ],
    [
      "an unsupported log retention",
      { limits: { ...DEFAULT_LIMITS, logRetentionDays: 31 } },
      "limits.logRetentionDays: expected one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (a CloudWatch Logs retention), got 31",
    ],
    [
      "a validator concurrency the stage rate outruns",
      { limits: { ...DEFAULT_LIMITS, validatorConcurrency: 10 } },
      "limits.validatorConcurrency: 10 is below limits.throttleRateLimit / 20 (50): the stage would admit more requests than the validator can run at 50 ms each, and the excess would get 5xx instead of the stage's 429",
    ],
    [
      "a burst over ten times the rate",
      { limits: { ...DEFAULT_LIMITS, throttleBurstLimit: 20_000 } },
      "limits.throttleBurstLimit: 20000 is more than 10 × limits.throttleRateLimit (1000)",
    ],
    [
      "an environment with a dash",
      { environment: "my-env" },
      'environment: expected a lowercase letter, then up to 9 lowercase letters or digits (^[a-z][a-z0-9]{0,9}$), got "my-env"',
    ],
    [
      "the regional stack's environment name",
      { environment: "regional" },
      'environment: "regional" is reserved for the regional stack; choose another name',
    ],
    [
      "a duplicate route id",
      { routes: [...DEFAULT_CONFIG.routes, ...DEFAULT_CONFIG.routes] },
      'routes[1].id: "payments" is already the id of routes[0]',
    ],
    [
      "an empty event pattern",
      { routes: [{ id: "r", eventPattern: {} }] },
      "routes[0].eventPattern: expected a non-empty EventBridge pattern object, got an empty object",
    ],
    ["a malformed alarm e-mail", { alarmEmail: "ops" }, 'alarmEmail: expected an e-mail address, got "ops"'],
    [
      "headerFamily on a non-Standard-Webhooks provider",
      { providers: [{ id: "gh", scheme: "github", headerFamily: "svix" }], routes: [] },
      "providers[0].headerFamily: applies to the standard-webhooks scheme only, not github",
    ],
    [
      "a tag key in the aws: namespace",
      { tags: { "aws:team": "x" } },
      'tags.aws:team: invalid key; expected 1 to 128 characters, not starting with aws:, got "aws:team"',
    ],
  ])("%s", (_mistake, override, line) => {
    expect(configProblems({ ...DEFAULT_CONFIG, ...override })).toEqual([line]);
  });
});

test("every problem is reported at once, shape and types before the rules between fields", () => {
  expect(
    fileProblems({
      environment: "BAD",
      limits: { validatorConcurrency: 10, bogusLimit: 1 },
      providers: [STRIPE, { id: "stripe", scheme: "stripe", apiKeyRequried: true }],
    }),
  ).toEqual([
    'environment: expected a lowercase letter, then up to 9 lowercase letters or digits (^[a-z][a-z0-9]{0,9}$), got "BAD"',
    expect.stringMatching(/^limits\.bogusLimit: unknown key/),
    "providers[1].apiKeyRequried: unknown key; did you mean apiKeyRequired?",
    'providers[1].id: "stripe" is already the id of providers[0]',
    expect.stringMatching(/^limits\.validatorConcurrency: 10 is below/),
  ]);
});

test("rules between fields skip a field of the wrong type instead of failing on it", () => {
  expect(
    fileProblems({
      providers: [{ id: 7, scheme: "stripe" }],
      routes: [{ id: "r", eventPattern: { source: ["webhooks.paypal"] } }],
      limits: "fast",
    }),
  ).toEqual(["providers[0].id: expected a string, got 7", 'limits: expected an object, got "fast"']);
});

describe("the example providers and route apply only when the file sets neither", () => {
  test("a file that sets neither gets both", () => {
    const config = resolveConfig({ environment: "qa" });
    expect([config.providers, config.routes]).toEqual([DEFAULT_CONFIG.providers, DEFAULT_CONFIG.routes]);
  });

  test("a file that sets providers gets no example route", () => {
    expect(resolveConfig({ providers: [STRIPE] })).toMatchObject({ providers: [STRIPE], routes: [] });
  });

  test("a file that sets routes and providers gets exactly those", () => {
    const routes = [{ id: "charges", eventPattern: { "detail-type": ["charge.succeeded"] } }];
    expect(resolveConfig({ providers: [STRIPE], routes })).toMatchObject({ providers: [STRIPE], routes });
  });
});

test("a file's limits merge with the default limits", () => {
  expect(resolveConfig({ limits: { logRetentionDays: 90 } }).limits).toEqual({
    ...DEFAULT_LIMITS,
    logRetentionDays: 90,
  });
});

test("a $schema reference is allowed and not part of the configuration", () => {
  const config = resolveConfig({ $schema: "./webhooks.config.schema.json", providers: [STRIPE] });
  expect(config).not.toHaveProperty("$schema");
});

test("environment variables override the environment, suffix and region", () => {
  const config = loadConfig({
    WEBHOOK_ENVIRONMENT: "prod",
    WEBHOOK_ENVIRONMENT_SUFFIX: "blue",
    WEBHOOK_REGION: "eu-west-1",
  });
  expect(config).toMatchObject({
    environment: "prod",
    environmentSuffix: "blue",
    region: "eu-west-1",
    production: true,
  });
});

test("an invalid override from the environment is a problem naming the variable", () => {
  expect(problemsOf(() => loadConfig({ WEBHOOK_REGION: "mars" }))).toEqual([
    'WEBHOOK_REGION: expected an AWS region name such as eu-west-1, got "mars"',
  ]);
});

test("a configuration file's problems name the file as their source", () => {
  const path = writeTemp("bad.json", '{ "tags": { "team": 5 } }');
  expect(() => loadConfig({ WEBHOOK_CONFIG: path })).toThrow(
    expect.objectContaining({
      source: `WEBHOOK_CONFIG=${path}`,
      problems: ["tags.team: expected a string, got 5"],
    }),
  );
});

test("a missing WEBHOOK_CONFIG file is one line naming the variable and the path", () => {
  const path = join(mkdtempSync(join(tmpdir(), "config-")), "absent.json");
  expect(problemsOf(() => loadConfig({ WEBHOOK_CONFIG: path }))).toEqual([
    `WEBHOOK_CONFIG=${path}: no such file`,
  ]);
});

test("an unparsable WEBHOOK_CONFIG file is one line with the line and column of the mistake", () => {
  const path = writeTemp("trailing-comma.json", '{\n  "environment": "qa",\n}\n');
  expect(problemsOf(() => loadConfig({ WEBHOOK_CONFIG: path }))).toEqual([
    `WEBHOOK_CONFIG=${path}: not valid JSON: Expected double-quoted property name at line 3 column 1`,
  ]);
});
