import { randomBytes } from "node:crypto";

/**
 * Tags on every rule and queue a `webhooks listen` session creates. Leftovers of a killed session
 * are found by name prefix and then confirmed by these tags: nothing without them is ever removed.
 */
export const ListenTag = {
  /** The session id; every resource of one session carries the same. */
  session: "webhooks:listen",
  /** The bus the session's rule is on (queues are not per bus). */
  bus: "webhooks:listen-bus",
  /** What it listens for: a route id, or `--pattern`. */
  listensFor: "webhooks:listen-for",
  /** ISO 8601 time the session started. */
  started: "webhooks:listen-started",
  /** ISO 8601 time the session last said it is alive; a live session renews it every minute. */
  heartbeat: "webhooks:listen-heartbeat",
} as const;

/** How often a live session renews its heartbeat tag. */
export const HEARTBEAT_INTERVAL_MS = 60_000;
/** A session whose heartbeat is older than this has stopped without cleaning up (three missed beats). */
export const STALE_AFTER_MS = 3 * HEARTBEAT_INTERVAL_MS;

/** EventBridge rule names are at most 64 characters; SQS queue names at most 80. */
const RULE_NAME_MAX = 64;
const SESSION_ID_LENGTH = 8;
const MARKER = "-listen-";

/**
 * The head of every listen resource name on a bus: the stack's naming base (`whk-dev` of
 * `whk-dev-bus`) and `-listen-`, cut so that a session id still fits a rule name, and spelled with
 * the characters both rules and queues allow. Rule and queue of a session share one name.
 *
 * @example listenPrefix("whk-dev-bus") // "whk-dev-listen-"
 */
export function listenPrefix(busName: string): string {
  const base = busName.replace(/-bus$/, "").replace(/[^A-Za-z0-9_-]/g, "-");
  return `${base.slice(0, RULE_NAME_MAX - MARKER.length - SESSION_ID_LENGTH)}${MARKER}`;
}

/** A fresh session id: 8 hex characters. */
export function newSessionId(): string {
  return randomBytes(SESSION_ID_LENGTH / 2).toString("hex");
}
