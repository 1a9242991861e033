import { fail } from "../common";
import type { VerifyFailure } from "../types";
import type { TimestampFormat, ToleranceWindow } from "./definition";

// Integer seconds (10 digits reach 2286) and milliseconds only: signs, decimals and exponents are refused.
const UNIX_SECONDS = /^[0-9]{1,10}$/;
const UNIX_MILLISECONDS = /^[0-9]{1,13}$/;
// RFC 3339 date-time with any fraction (Twitch sends nanoseconds) and a zone.
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

const FORMAT_RULE: Readonly<Record<TimestampFormat, string>> = {
  "unix-s": "is not integer unix seconds (1-10 digits)",
  "unix-ms": "is not integer unix milliseconds (1-13 digits)",
  rfc3339: "is not an RFC 3339 date-time",
};

/** Milliseconds since the epoch a timestamp text stands for, or undefined if it is not of `format`. */
export function timestampMs(value: string, format: TimestampFormat): number | undefined {
  if (format === "unix-s") return UNIX_SECONDS.test(value) ? Number(value) * 1000 : undefined;
  if (format === "unix-ms") return UNIX_MILLISECONDS.test(value) ? Number(value) : undefined;
  const match = RFC3339.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction = "", zulu, sign, offsetHours, offsetMinutes] =
    match;
  const fields = [month, day, hour, minute, second, offsetHours ?? "0", offsetMinutes ?? "0"].map(Number);
  const [mo, d, h, mi, s, oh, om] = fields as [number, number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 || oh > 23 || om > 59)
    return undefined;
  const utc = Date.UTC(Number(year), mo - 1, d, h, mi, s) + Number(fraction.padEnd(3, "0").slice(0, 3));
  // Date.UTC rolls 31 February over into March: refuse dates that do not exist.
  if (new Date(utc).getUTCDate() !== d) return undefined;
  const offset = zulu ? 0 : (sign === "-" ? -1 : 1) * (oh * 60 + om) * 60_000;
  return utc - offset;
}

/**
 * The signed timestamp in unix seconds, if it has `format` and lies within `toleranceSeconds` of
 * `nowSeconds` (inclusive; `past-only` bounds its age only). `what` names it in a failure.
 */
export function checkTimestamp(
  value: string,
  format: TimestampFormat,
  what: string,
  nowSeconds: number,
  toleranceSeconds: number,
  window: ToleranceWindow = "two-sided",
): number | VerifyFailure {
  const ms = timestampMs(value, format);
  if (ms === undefined) return fail("malformed_header", `${what} ${FORMAT_RULE[format]}`);
  const shown = format === "unix-s" ? String(ms / 1000) : value;
  const skew = (nowSeconds * 1000 - ms) / 1000;
  if (skew > toleranceSeconds) {
    return fail(
      "timestamp_out_of_tolerance",
      `${what} ${shown} is ${skew} s old (tolerance ${toleranceSeconds} s)`,
    );
  }
  if (window === "two-sided" && -skew > toleranceSeconds) {
    return fail(
      "timestamp_out_of_tolerance",
      `${what} ${shown} is ${-skew} s in the future (tolerance ${toleranceSeconds} s)`,
    );
  }
  return Math.floor(ms / 1000);
}

/** The timestamp text a sender of `format` sends for `unixSeconds`. */
export function formatTimestamp(unixSeconds: number, format: TimestampFormat): string {
  if (format === "unix-s") return String(unixSeconds);
  if (format === "unix-ms") return String(unixSeconds * 1000);
  return new Date(unixSeconds * 1000).toISOString();
}
