import { type Envelope, GENERIC_ENDPOINT_ID } from "@webhooks/shared";
import type { Counters, Log } from "../../../functions/router/ports";
import type { LoggerPort, MetricsPort, Outcome } from "../../../functions/validator/ports";
import type { Output } from "../command";
import type { ForwardOutcome } from "../listen/forward";
import type { ApiAnswer } from "./api";
import type { BusEvent } from "./local-bus";

interface LogRecord {
  readonly level: "info" | "warn" | "error";
  readonly message: string;
  readonly attributes: Record<string, unknown>;
}

/** Who a line is about: provider and delivery id, `-` where unknown. */
interface Delivery {
  readonly provider: string;
  readonly deliveryId: string;
}

const UNKNOWN: Delivery = { provider: "-", deliveryId: "-" };
/** How long a line waits for its webhook's request line at most. */
const HOLD_MS = 2_000;

/**
 * The live log of `webhooks dev`: one line per request as it is answered (provider, delivery id,
 * status and verdict, with the validator's own reason), then one per stage of the webhook's way:
 * the routes its event matched, each forward and its answer, a move to a dead-letter queue. The
 * functions log through its ports; `verbose` also prints every record they log, as JSON.
 */
export class DevLog {
  /** The validator's records of a request in progress, by request id. */
  private readonly journal = new Map<string, LogRecord[]>();
  /** Who each webhook id is, learned when its request was answered. */
  private readonly deliveries = new Map<string, Delivery>();
  /**
   * What the validator put on the ingest queue, by webhook id: an accepted webhook logs no line, so
   * its request's line takes provider, delivery id and event type from its envelope.
   */
  private readonly envelopes = new Map<string, Record<string, unknown>>();
  /**
   * Lines about webhooks whose request line is not out yet: the router can route a webhook before
   * the validator's answer is written. See {@link enqueued}.
   */
  private readonly held = new Map<string, string[]>();
  private readonly outcomes = new Map<Outcome, number>();
  private providerWidth = 1;

  constructor(
    private readonly out: Output,
    private readonly now: () => number,
    private readonly verbose = false,
  ) {}

  /** Pads provider ids to the longest configured one, so delivery ids line up. */
  setProviders(ids: readonly string[]): void {
    this.providerWidth = Math.max(1, ...ids.map((id) => id.length));
  }

  /** The validator's logger port: records are kept with their request until it is answered. */
  readonly validatorLogger: LoggerPort = {
    info: (message, ...attributes) => this.keep("info", message, attributes),
    warn: (message, ...attributes) => this.keep("warn", message, attributes),
    error: (message, ...attributes) => this.keep("error", message, attributes),
  };

  /** The router's logger port: warnings, errors and skipped duplicates are printed as they happen. */
  readonly routerLogger: Log = {
    info: (message, attributes) => {
      this.raw("router", "info", message, attributes);
      if (/already routed/.test(message)) this.webhookLine(attributes, `router: ${message}`);
    },
    warn: (message, attributes) => this.routerProblem("warn", message, attributes),
    error: (message, attributes) => this.routerProblem("error", message, attributes),
  };

  /** The validator's metrics port: counts by outcome, for the summary when the server stops. */
  readonly validatorMetrics: MetricsPort = {
    count: (_provider, outcome) => this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1),
  };

  /** The router's counters: nothing to show beyond the log lines. */
  readonly routerCounters: Counters = { count: () => undefined, publish: () => undefined };

  /** `12 accepted, 2 duplicate, 1 rejected`, or "no webhooks". */
  summary(): string {
    const parts = [...this.outcomes].map(([outcome, count]) => `${count} ${outcome.replace("_", " ")}`);
    return parts.length > 0 ? parts.join(", ") : "no webhooks";
  }

  /** A request's line, with what the validator logged while handling it. */
  answered(answer: ApiAnswer): void {
    const records = this.journal.get(answer.requestId) ?? [];
    this.journal.delete(answer.requestId);
    const answeredId = text((parse(answer.body) as { webhookId?: unknown }).webhookId);
    const envelope = answeredId === undefined ? undefined : this.envelopes.get(answeredId);
    if (answeredId !== undefined) this.envelopes.delete(answeredId);
    const facts = Object.assign({}, envelope, ...records.map((record) => record.attributes)) as Record<
      string,
      unknown
    >;
    const provider =
      text(facts.provider) ??
      (answer.endpoint?.id === GENERIC_ENDPOINT_ID ? answer.providerHeader : answer.endpoint?.id) ??
      "-";
    const deliveryId = text(facts.deliveryId) ?? "-";
    this.line({ provider, deliveryId }, `${answer.status} ${verdict(answer, records, facts)}`);
    const webhookId = text(facts.webhookId);
    if (webhookId) {
      this.deliveries.set(webhookId, { provider, deliveryId });
      for (const message of this.held.get(webhookId) ?? []) this.line({ provider, deliveryId }, message);
      this.held.delete(webhookId);
    }
  }

  /** The bus took an event: the routes its pattern matched. */
  routed(event: BusEvent, matched: readonly string[]): void {
    const where = matched.length > 0 ? `routed → ${matched.join(", ")}` : "on the bus; no route matched";
    this.webhookLine(event.detail, where);
  }

  /** A route without a forward URL: the event as its consumers would read it. */
  printed(routeId: string, body: string): void {
    this.webhookLine(parse(body).detail, `${routeId} (not forwarded): ${body}`);
  }

  /** One forward of a route's event and its answer. */
  forwarded(
    routeId: string,
    body: string,
    outcome: ForwardOutcome,
    receive: { readonly count: number; readonly max: number; readonly againInMs: number },
  ): void {
    const answer = "status" in outcome ? String(outcome.status) : outcome.error;
    const again = outcome.delivered
      ? ""
      : `; receive ${receive.count} of ${receive.max}, ${receive.count < receive.max ? `again in ${seconds(receive.againInMs)}` : "dead-lettered when it comes back"}`;
    this.webhookLine(parse(body).detail, `${routeId} → ${answer} in ${outcome.ms} ms${again}`);
  }

  /** A message moved to a dead-letter queue, and how to bring it back. */
  deadLettered(body: string, receives: number, dlq: string, redrive: string): void {
    const message = parse(body);
    this.webhookLine(
      message.detail ?? message,
      `dead-lettered to ${dlq} after ${receives} receives (bring it back: ${redrive})`,
    );
  }

  private keep(level: LogRecord["level"], message: string, attributes: Record<string, unknown>[]): void {
    const merged = Object.assign({}, ...attributes) as Record<string, unknown>;
    this.raw("validator", level, message, merged);
    const requestId = text(merged.requestId);
    if (requestId === undefined) {
      if (level !== "info") this.line(this.about(merged), `validator: ${message}${details(merged)}`);
      return;
    }
    const records = this.journal.get(requestId) ?? [];
    records.push({ level, message, attributes: merged });
    this.journal.set(requestId, records);
  }

  private routerProblem(level: "warn" | "error", message: string, attributes: Record<string, unknown>): void {
    this.raw("router", level, message, attributes);
    this.webhookLine(attributes, `router: ${message}${details(attributes)}`);
  }

  private raw(source: string, level: string, message: string, attributes: Record<string, unknown>): void {
    if (this.verbose) {
      this.out.write(`${JSON.stringify({ source, level, message, ...attributes })}\n`);
    }
  }

  /** Provider and delivery id of something carrying them, or of its webhook id. */
  private about(value: unknown): Delivery {
    const fields = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
    const provider = text(fields.provider);
    const deliveryId = text(fields.deliveryId);
    if (provider && deliveryId) return { provider, deliveryId };
    const webhookId = text(fields.webhookId);
    return (webhookId && this.deliveries.get(webhookId)) || UNKNOWN;
  }

  /**
   * A webhook is on the ingest queue while its request is not answered yet: its lines wait for the
   * request's line (or {@link HOLD_MS} at most), so the log reads in the webhook's order.
   */
  enqueued(envelope: Pick<Envelope, "webhookId" | "provider" | "deliveryId" | "eventType">): void {
    const { webhookId } = envelope;
    this.envelopes.set(webhookId, { ...envelope });
    this.held.set(webhookId, []);
    setTimeout(() => {
      for (const line of this.held.get(webhookId) ?? []) this.line(this.about({ webhookId }), line);
      this.held.delete(webhookId);
    }, HOLD_MS).unref();
  }

  /** A line about the webhook `value` names (an event's detail, an envelope, log attributes). */
  private webhookLine(value: unknown, message: string): void {
    const webhookId = text((value as { webhookId?: unknown } | undefined)?.webhookId);
    const held = webhookId === undefined ? undefined : this.held.get(webhookId);
    if (held) held.push(message);
    else this.line(this.about(value), message);
  }

  private line(delivery: Delivery, message: string): void {
    const time = new Date(this.now()).toISOString().slice(11, 23);
    this.out.write(
      `${time}  ${delivery.provider.padEnd(this.providerWidth)}  ${delivery.deliveryId}  ${message}\n`,
    );
  }
}

/** What the answer means, in the validator's words where it gave them. */
function verdict(answer: ApiAnswer, records: readonly LogRecord[], facts: Record<string, unknown>): string {
  if (answer.answeredBy === "waf") return "WAF: payload too large (Content-Length over limits.maxBodyBytes)";
  if (answer.answeredBy === "gateway") {
    const body = parse(answer.body);
    return `API Gateway ${String(body.type)}: ${String(body.message)} (${answer.method} ${answer.path})`;
  }
  const problem = records.find((record) => record.level !== "info");
  if (answer.status === 202)
    return `accepted ${text(facts.eventType) ?? ""} → ${text(facts.webhookId) ?? ""}`;
  if (parse(answer.body).duplicate === true) return `duplicate (already ${text(facts.status) ?? "accepted"})`;
  if (answer.status === 409) return "in progress in another request; the sender retries";
  if (answer.status < 300) return records.at(-1)?.message ?? "answered";
  if (answer.status === 503 || !problem) {
    return `failed: ${problem?.message ?? "unavailable"}${details(problem?.attributes ?? {})}`;
  }
  return `rejected ${text(facts.code) ?? ""}: ${text(facts.reason) ?? problem.message}`;
}

/** ` (reason: x; error: Name: message)` from the attributes that explain a failure. */
function details(attributes: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of ["reason", "detail", "receiveCount"]) {
    const value = attributes[key];
    if (value !== undefined) parts.push(`${key} ${String(value)}`);
  }
  const error = attributes.error as { name?: string; message?: string } | undefined;
  if (error?.message) parts.push(`${error.name ?? "Error"}: ${error.message}`);
  return parts.length > 0 ? ` (${parts.join("; ")})` : "";
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function parse(body: string): Record<string, unknown> & { detail?: unknown } {
  try {
    const value = JSON.parse(body);
    return typeof value === "object" && value !== null ? value : {};
  } catch {
    return {};
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
