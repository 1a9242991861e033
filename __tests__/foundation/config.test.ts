import {
  ConfigError,
  DEFAULT_CONFIG,
  loadConfig,
  type PlatformConfig,
  validateConfig,
} from "../../stacks/config";

function problemsOf(config: PlatformConfig): string[] {
  try {
    validateConfig(config);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}

test("the default configuration is valid and has an example provider for every scheme", () => {
  expect(problemsOf(DEFAULT_CONFIG)).toEqual([]);
  expect(new Set(DEFAULT_CONFIG.providers.map((p) => p.scheme))).toEqual(
    new Set(["generic", "stripe", "github", "shopify", "slack", "standard-webhooks"]),
  );
  expect(DEFAULT_CONFIG.routes.length).toBeGreaterThan(0);
});

describe.each<[string, Partial<PlatformConfig>, string]>([
  [
    "an unknown scheme",
    { providers: [{ id: "x", scheme: "paypal" as never }] },
    'providers[0].scheme "paypal" is unknown',
  ],
  [
    "a duplicate provider id",
    {
      providers: [
        { id: "a", scheme: "github" },
        { id: "a", scheme: "stripe" },
      ],
    },
    'providers[1].id "a" is a duplicate provider id',
  ],
  [
    "a provider id with capitals",
    { providers: [{ id: "Stripe", scheme: "stripe" }] },
    'providers[0].id "Stripe" must match',
  ],
  [
    "a provider id over 32 characters",
    { providers: [{ id: "a".repeat(33), scheme: "stripe" }] },
    "providers[0].id",
  ],
  [
    "a negative limit",
    { limits: { ...DEFAULT_CONFIG.limits, maxReceiveCount: -1 } },
    "limits.maxReceiveCount must be a positive integer",
  ],
  [
    "a fractional limit",
    { limits: { ...DEFAULT_CONFIG.limits, quotaPerDay: 1.5 } },
    "limits.quotaPerDay must be a positive integer",
  ],
  [
    "a body limit beyond Lambda's invoke payload",
    { limits: { ...DEFAULT_CONFIG.limits, maxBodyBytes: 5_000_000 } },
    "limits.maxBodyBytes must be ≤ 4194304",
  ],
  [
    "a dedupe TTL shorter than Stripe's retries",
    { limits: { ...DEFAULT_CONFIG.limits, dedupeTtlHours: 1 } },
    "limits.dedupeTtlHours must be ≥ 72",
  ],
  [
    "an unsupported log retention",
    { limits: { ...DEFAULT_CONFIG.limits, logRetentionDays: 31 } },
    "limits.logRetentionDays must be one of",
  ],
  ["an environment with a dash", { environment: "my-env" }, 'environment "my-env" must match'],
  ["a suffix over 40 characters", { environmentSuffix: "a".repeat(41) }, "environmentSuffix"],
  [
    "a duplicate route id",
    { routes: [...DEFAULT_CONFIG.routes, ...DEFAULT_CONFIG.routes] },
    'routes[1].id "payments" is a duplicate route id',
  ],
  [
    "an empty event pattern",
    { routes: [{ id: "r", eventPattern: {} }] },
    "routes[0].eventPattern must be a non-empty",
  ],
  ["a malformed alarm e-mail", { alarmEmail: "ops" }, 'alarmEmail "ops" is not an e-mail address'],
  [
    "headerFamily on a non-Standard-Webhooks provider",
    { providers: [{ id: "gh", scheme: "github", headerFamily: "svix" }] },
    "providers[0].headerFamily applies to the standard-webhooks scheme only",
  ],
])("configuration with %s", (_name, override, message) => {
  test("fails with a message naming the field", () => {
    expect(problemsOf({ ...DEFAULT_CONFIG, ...override }).join("\n")).toContain(message);
  });
});

test("every problem is reported at once", () => {
  const problems = problemsOf({ ...DEFAULT_CONFIG, environment: "BAD", prefix: "X" });
  expect(problems).toHaveLength(2);
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

test("an invalid override from the environment fails loading", () => {
  expect(() => loadConfig({ WEBHOOK_REGION: "mars" })).toThrow(/region "mars"/);
});

test('a flag that is not a boolean (a JSON file\'s "true") is a problem naming the field', () => {
  expect(problemsOf({ ...DEFAULT_CONFIG, fifoIngestQueue: "true" as unknown as boolean })).toEqual([
    'fifoIngestQueue must be true or false, got "true"',
  ]);
});
