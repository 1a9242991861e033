import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ConfigError,
  loadConfig,
  PROVIDERS_FILE,
  parseProviders,
  readProvidersFile,
} from "../../../functions/validator/config";

/** What the package's providers.json holds. */
const PROVIDERS = JSON.stringify([
  { id: "stripe", scheme: "stripe", secretId: "webhooks/dev/stripe" },
  {
    id: "svix-app",
    scheme: "standard-webhooks",
    secretId: "webhooks/dev/svix",
    headerFamily: "svix",
    toleranceSeconds: 120,
  },
]);

const ENV = {
  TABLE_NAME: "wh-dev-webhooks",
  QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/wh-dev-ingest",
  PAYLOAD_BUCKET: "wh-dev-payloads",
};

describe("loadConfig", () => {
  test("default properties", () => {
    expect(loadConfig(ENV, PROVIDERS)).toEqual({
      providers: [
        { id: "stripe", scheme: "stripe", secretId: "webhooks/dev/stripe", toleranceSeconds: 300 },
        {
          id: "svix-app",
          scheme: "standard-webhooks",
          secretId: "webhooks/dev/svix",
          toleranceSeconds: 120,
          headerFamily: "svix",
        },
      ],
      tableName: "wh-dev-webhooks",
      queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/wh-dev-ingest",
      payloadBucket: "wh-dev-payloads",
      maxBodyBytes: 1_048_576,
      queueMaxMessageBytes: 1_048_576,
      dedupeTtlSeconds: 604_800,
      secretCacheSeconds: 300,
    });
  });

  test("limits come from their variables", () => {
    const config = loadConfig(
      {
        ...ENV,
        MAX_BODY_BYTES: "65536",
        QUEUE_MAX_MESSAGE_BYTES: "262144",
        DEDUPE_TTL_SECONDS: "259200",
        SECRET_CACHE_SECONDS: "60",
      },
      PROVIDERS,
    );
    expect(config).toMatchObject({
      maxBodyBytes: 65_536,
      queueMaxMessageBytes: 262_144,
      dedupeTtlSeconds: 259_200,
      secretCacheSeconds: 60,
    });
  });

  test.each([
    ["TABLE_NAME unset", { TABLE_NAME: undefined }, "TABLE_NAME is not set"],
    ["QUEUE_URL blank", { QUEUE_URL: " " }, "QUEUE_URL is not set"],
    ["PAYLOAD_BUCKET unset", { PAYLOAD_BUCKET: undefined }, "PAYLOAD_BUCKET is not set"],
    [
      "MAX_BODY_BYTES not a number",
      { MAX_BODY_BYTES: "1MB" },
      'MAX_BODY_BYTES must be a positive integer, got "1MB"',
    ],
    [
      "DEDUPE_TTL_SECONDS zero",
      { DEDUPE_TTL_SECONDS: "0" },
      'DEDUPE_TTL_SECONDS must be a positive integer, got "0"',
    ],
    [
      "SECRET_CACHE_SECONDS negative",
      { SECRET_CACHE_SECONDS: "-5" },
      'SECRET_CACHE_SECONDS must be a positive integer, got "-5"',
    ],
    [
      "QUEUE_MAX_MESSAGE_BYTES too small for a reference",
      { QUEUE_MAX_MESSAGE_BYTES: "1024" },
      "QUEUE_MAX_MESSAGE_BYTES must exceed 2048 (a reference envelope must fit)",
    ],
  ])("%s fails naming the variable", (_case, overrides, message) => {
    expect(() => loadConfig({ ...ENV, ...overrides }, PROVIDERS)).toThrow(new ConfigError(message));
  });
});

describe("the providers file", () => {
  test("the function reads it from its code directory", () => {
    const dir = mkdtempSync(join(tmpdir(), "validator-package-"));
    writeFileSync(join(dir, PROVIDERS_FILE), PROVIDERS);
    expect(loadConfig(ENV, readProvidersFile(dir)).providers.map((provider) => provider.id)).toEqual([
      "stripe",
      "svix-app",
    ]);
  });

  test("a package without it fails the init naming the file and the directory", () => {
    const dir = mkdtempSync(join(tmpdir(), "validator-package-"));
    expect(() => readProvidersFile(dir)).toThrow(
      new ConfigError(`${PROVIDERS_FILE} cannot be read from ${dir}: ENOENT`),
    );
  });

  test.each([
    ["not JSON", "[", "providers.json is not JSON"],
    ["not an array", "{}", "providers.json must be a non-empty JSON array"],
    ["empty", "[]", "providers.json must be a non-empty JSON array"],
    ["an entry that is not an object", "[1]", "providers.json[0] is not an object"],
    [
      "an id with capitals",
      '[{"id":"Stripe","scheme":"stripe","secretId":"s"}]',
      "providers.json[0].id must match ^[a-z0-9][a-z0-9-]{0,31}$",
    ],
    [
      "a duplicate id",
      '[{"id":"a","scheme":"stripe","secretId":"s"},{"id":"a","scheme":"github","secretId":"t"}]',
      "providers.json[1].id a appears twice",
    ],
    [
      "an unknown scheme",
      '[{"id":"a","scheme":"hmac","secretId":"s"}]',
      'providers.json[0].scheme must be a preset id or custom:<name>, got "hmac"',
    ],
    [
      "no secretId",
      '[{"id":"a","scheme":"stripe"}]',
      "providers.json[0].secretId must be a non-empty string",
    ],
    [
      "a fractional tolerance",
      '[{"id":"a","scheme":"stripe","secretId":"s","toleranceSeconds":1.5}]',
      "providers.json[0].toleranceSeconds must be a positive integer",
    ],
    [
      "a header family on another scheme",
      '[{"id":"a","scheme":"stripe","secretId":"s","headerFamily":"svix"}]',
      'providers.json[0].headerFamily is "webhook" or "svix", and only for the standard-webhooks scheme',
    ],
  ])("%s is refused", (_case, json, message) => {
    expect(() => parseProviders(json)).toThrow(new ConfigError(message));
  });
});
