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
    { ...required, BUS_ENTRY_MAX_BYTES: "2000000" },
    /BUS_ENTRY_MAX_BYTES must be an integer from 1 to 1048576/,
  ],
  [{ ...required, EVENT_SOURCE_PREFIX: "aws.webhooks" }, /must not start with "aws."/],
])("an unusable environment %j fails at cold start", (env, message) => {
  expect(() => routerConfigFromEnv(env)).toThrow(message);
});
