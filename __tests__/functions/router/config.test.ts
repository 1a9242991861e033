import { ROUTER_DEFAULTS, routerConfigFromEnv } from "../../../functions/router/config";

const required = { EVENT_BUS_NAME: "wh-test-bus", PAYLOAD_BUCKET: "wh-test-payloads" };

test("defaults: Source prefix webhooks and a 256 KiB entry budget", () => {
  expect(routerConfigFromEnv(required)).toStrictEqual({
    eventBusName: "wh-test-bus",
    payloadBucket: "wh-test-payloads",
    sourcePrefix: "webhooks",
    entryMaxBytes: 262_144,
    safetyMarginMs: ROUTER_DEFAULTS.safetyMarginMs,
    retry: ROUTER_DEFAULTS.retry,
  });
});

test("EVENT_SOURCE_PREFIX and BUS_ENTRY_MAX_BYTES override the defaults", () => {
  const config = routerConfigFromEnv({
    ...required,
    EVENT_SOURCE_PREFIX: "acme.hooks",
    BUS_ENTRY_MAX_BYTES: "1048576",
  });

  expect(config).toMatchObject({ sourcePrefix: "acme.hooks", entryMaxBytes: 1_048_576 });
});

test.each([
  [{ PAYLOAD_BUCKET: "b" }, /EVENT_BUS_NAME is required/],
  [{ EVENT_BUS_NAME: "bus" }, /PAYLOAD_BUCKET is required/],
  [{ ...required, BUS_ENTRY_MAX_BYTES: "256KB" }, /BUS_ENTRY_MAX_BYTES must be an integer/],
  [
    { ...required, BUS_ENTRY_MAX_BYTES: "1048577" },
    /BUS_ENTRY_MAX_BYTES must be an integer from 4096 to 1048576/,
  ],
  // Below the largest by-reference entry, an entry could fail for its size on every receive.
  [
    { ...required, BUS_ENTRY_MAX_BYTES: "4095" },
    /BUS_ENTRY_MAX_BYTES must be an integer from 4096 to 1048576/,
  ],
  [{ ...required, EVENT_SOURCE_PREFIX: "aws.webhooks" }, /must not start with "aws."/],
])("an unusable environment %j fails at cold start", (env, message) => {
  expect(() => routerConfigFromEnv(env)).toThrow(message);
});

test("a Source prefix over 223 characters fails at cold start: Source <prefix>.<provider> would pass 256", () => {
  expect(() => routerConfigFromEnv({ ...required, EVENT_SOURCE_PREFIX: "p".repeat(224) })).toThrow(
    /EVENT_SOURCE_PREFIX must be at most 223 characters/,
  );
});

test.each([
  ["the smallest entry budget, 4096", { BUS_ENTRY_MAX_BYTES: "4096" }, { entryMaxBytes: 4_096 }],
  [
    "the longest Source prefix, 223 characters",
    { EVENT_SOURCE_PREFIX: "p".repeat(223) },
    { sourcePrefix: "p".repeat(223) },
  ],
])("%s is accepted", (_limit, env, expected) => {
  expect(routerConfigFromEnv({ ...required, ...env })).toMatchObject(expected);
});
