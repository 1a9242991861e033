import { join } from "node:path";
import { DEFAULT_CONFIG, DEFAULT_LIMITS, loadConfig } from "../../stacks/config";

const FILE = join(__dirname, "..", "..", "scripts", "plan-offline", "production.json");
const config = loadConfig({ WEBHOOK_CONFIG: FILE });
const file = require(FILE) as Record<string, unknown>;

test("the production configuration is valid", () => {
  expect(config.environment).toBe("prod");
});

test("it sets every field of the configuration, alarm e-mail included", () => {
  for (const field of [...Object.keys(DEFAULT_CONFIG), "alarmEmail"]) expect(file).toHaveProperty(field);
});

test("every on/off option is on", () => {
  const flags = Object.keys(DEFAULT_CONFIG).filter(
    (key) => typeof DEFAULT_CONFIG[key as keyof typeof DEFAULT_CONFIG] === "boolean",
  );
  expect(flags.length).toBeGreaterThan(0);
  for (const flag of flags) expect([flag, config[flag as keyof typeof config]]).toEqual([flag, true]);
});

test("every limit differs from its default", () => {
  for (const [name, value] of Object.entries(DEFAULT_LIMITS)) {
    expect([name, config.limits[name as keyof typeof DEFAULT_LIMITS]]).not.toEqual([name, value]);
  }
});

test("the environment suffix is long enough to make names hash", () => {
  expect(config.environmentSuffix.length).toBeGreaterThanOrEqual(35);
});

test("it keeps state in S3, has tags, and a provider that requires an API key", () => {
  expect(config.backend.type).toBe("s3");
  expect(Object.keys(config.tags).length).toBeGreaterThan(0);
  expect(config.providers.some((provider) => provider.apiKeyRequired)).toBe(true);
});

test("every scheme has several providers and both standard-webhooks header families appear", () => {
  const perScheme = new Map<string, number>();
  for (const { scheme } of config.providers) perScheme.set(scheme, (perScheme.get(scheme) ?? 0) + 1);
  for (const { scheme } of DEFAULT_CONFIG.providers)
    expect([scheme, perScheme.get(scheme)! >= 2]).toEqual([scheme, true]);
  expect(new Set(config.providers.map((provider) => provider.headerFamily).filter(Boolean))).toEqual(
    new Set(["webhook", "svix"]),
  );
});

test("several routes use prefix and anything-but patterns", () => {
  const patterns = JSON.stringify(config.routes.map((route) => route.eventPattern));
  expect(config.routes.length).toBeGreaterThan(1);
  expect(patterns).toContain('"prefix"');
  expect(patterns).toContain('"anything-but"');
});
