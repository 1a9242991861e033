import {
  checkTimestamp,
  formatTimestamp,
  timestampMs,
} from "../../../functions/shared/schemes/engine/timestamp";

const NOW = 1_700_000_000;

describe("K6: timestamp formats", () => {
  test.each([
    ["unix-s", "1700000000", 1_700_000_000_000],
    ["unix-ms", "1700000000123", 1_700_000_000_123],
    ["rfc3339", "2023-11-14T22:13:20Z", 1_700_000_000_000],
    ["rfc3339", "2023-11-14T22:13:20.5Z", 1_700_000_000_500],
    ["rfc3339", "2023-11-14T22:13:20.123456789Z", 1_700_000_000_123],
    ["rfc3339", "2023-11-14T15:13:20-07:00", 1_700_000_000_000],
    ["rfc3339", "2023-11-15T00:13:20+02:00", 1_700_000_000_000],
    ["rfc3339", "2023-11-14t22:13:20z", 1_700_000_000_000],
  ] as const)("%s %s is %i ms", (format, value, ms) => {
    expect(timestampMs(value, format)).toBe(ms);
  });

  test.each([
    ["unix-s", "1700000000000", "milliseconds where seconds are expected"],
    ["unix-s", "+1700000000", "a sign"],
    ["unix-s", "1700000000.5", "a fraction"],
    ["unix-s", "1e9", "an exponent"],
    ["unix-ms", "17000000001234", "14 digits"],
    ["rfc3339", "2023-11-14 22:13:20Z", "a space for T"],
    ["rfc3339", "2023-11-14T22:13:20", "no zone"],
    ["rfc3339", "2023-02-31T00:00:00Z", "31 February"],
    ["rfc3339", "2023-13-01T00:00:00Z", "month 13"],
    ["rfc3339", "1700000000", "unix seconds"],
  ] as const)("%s refuses %s (%s)", (format, value, _why) => {
    expect(timestampMs(value, format)).toBeUndefined();
  });

  test.each([
    ["unix-s", "1700000000"],
    ["unix-ms", "1700000000000"],
    ["rfc3339", "2023-11-14T22:13:20.000Z"],
  ] as const)("a sender of %s writes %s", (format, text) => {
    expect(formatTimestamp(NOW, format)).toBe(text);
  });
});

describe("K6: the tolerance window", () => {
  test.each([
    ["two-sided", -300, true],
    ["two-sided", 300, true],
    ["two-sided", -301, false],
    ["two-sided", 301, false],
    ["past-only", 301, false],
    ["past-only", -3600, true],
  ] as const)("%s, %i s old: accepted %s (edges inclusive)", (window, age, accepted) => {
    const result = checkTimestamp(String(NOW - age), "unix-s", "ts", NOW, 300, window);
    expect(typeof result === "number").toBe(accepted);
  });

  test.each([
    ["old", NOW - 301, "unix-s", "X-Ts 1699999699 is 301 s old (tolerance 300 s)"],
    ["in the future", NOW + 301, "unix-s", "X-Ts 1700000301 is 301 s in the future (tolerance 300 s)"],
  ] as const)("a timestamp too %s names the value and the skew", (_case, value, format, reason) => {
    expect(checkTimestamp(String(value), format, "X-Ts", NOW, 300)).toEqual({
      ok: false,
      code: "timestamp_out_of_tolerance",
      reason,
    });
  });

  test("milliseconds are compared to the millisecond and shown as sent", () => {
    expect(
      checkTimestamp(String((NOW - 60) * 1000 - 500), "unix-ms", "body webhookTimestamp", NOW, 60),
    ).toEqual({
      ok: false,
      code: "timestamp_out_of_tolerance",
      reason: "body webhookTimestamp 1699999939500 is 60.5 s old (tolerance 60 s)",
    });
  });

  test("a malformed value names the expected format", () => {
    expect(checkTimestamp("yesterday", "rfc3339", "BOX-DELIVERY-TIMESTAMP", NOW, 600)).toEqual({
      ok: false,
      code: "malformed_header",
      reason: "BOX-DELIVERY-TIMESTAMP is not an RFC 3339 date-time",
    });
  });

  test("the accepted timestamp is whole unix seconds", () => {
    expect(checkTimestamp("2023-11-14T22:13:19.999Z", "rfc3339", "t", NOW, 300)).toBe(NOW - 1);
  });
});
