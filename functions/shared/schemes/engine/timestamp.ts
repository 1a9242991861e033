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
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = Number(match[6]);
  const offsetHours = match[9] === undefined ? 0 : Number(match[10]);
  const offsetMinutes = match[9] === undefined ? 0 : Number(match[11]);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const fraction = match[7] === undefined ? 0 : Number(match[7].padEnd(3, "0").slice(0, 3));
  const offset = (match[9] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return Date.UTC(year, month - 1, day, hour, minute, second) + fraction - offset;
}

/** Days in a month of the Gregorian calendar. */
function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
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
  const skew = (nowSeconds * 1000 - ms) / 1000;
  const late = skew > toleranceSeconds;
  if (late || (window === "two-sided" && -skew > toleranceSeconds)) {
    const shown = format === "unix-s" ? String(ms / 1000) : value;
    const how = late ? `${skew} s old` : `${-skew} s in the future`;
    return fail("timestamp_out_of_tolerance", `${what} ${shown} is ${how} (tolerance ${toleranceSeconds} s)`);
  }
  return Math.floor(ms / 1000);
}

/** The timestamp text a sender of `format` sends for `unixSeconds`. */
export function formatTimestamp(unixSeconds: number, format: TimestampFormat): string {
  if (format === "unix-s") return String(unixSeconds);
  if (format === "unix-ms") return String(unixSeconds * 1000);
  return new Date(unixSeconds * 1000).toISOString();
}
