import { RecordStatus } from "@webhooks/shared";
import type {
  BlobObject,
  BlobsPort,
  ClaimRequest,
  ClaimResult,
  ClockPort,
  LoggerPort,
  MetricsPort,
  Outcome,
  QueueMessage,
  QueuePort,
  SecretsPort,
  StorePort,
} from "../../../../functions/validator/ports";

export class FakeClock implements ClockPort {
  constructor(public nowMs: number) {}
  now = (): number => this.nowMs;
  advance(ms: number): void {
    this.nowMs += ms;
  }
}

/** Secret documents by id; counts fetches; `failNext` makes the next fetch reject. */
export class InMemorySecrets implements SecretsPort {
  readonly documents = new Map<string, string>();
  readonly fetches: string[] = [];
  private failures: Error[] = [];

  set(secretId: string, secrets: readonly string[]): this {
    this.documents.set(secretId, JSON.stringify({ secrets }));
    return this;
  }
  failNext(error = new Error("ThrottlingException: Rate exceeded")): void {
    this.failures.push(error);
  }
  async fetch(secretId: string): Promise<string> {
    await Promise.resolve();
    this.fetches.push(secretId);
    const failure = this.failures.shift();
    if (failure) throw failure;
    const document = this.documents.get(secretId);
    if (document === undefined) throw new Error(`ResourceNotFoundException: ${secretId}`);
    return document;
  }
}

export interface StoredRecord {
  webhookId: string;
  status: RecordStatus;
  leaseUntil?: number;
  expiresAt: number;
  claim: ClaimRequest;
}

/** The table's semantics in memory: the same condition as the DynamoDB adapter, checked atomically. */
export class InMemoryStore implements StorePort {
  readonly records = new Map<string, StoredRecord>();
  readonly claims: ClaimRequest[] = [];
  readonly failures: Partial<Record<"claim" | "markQueued" | "release", Error>> = {};

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    await Promise.resolve();
    this.claims.push(request);
    this.throwIfFailing("claim");
    const existing = this.records.get(request.webhookId);
    const sameContent = existing?.claim.contentDigest === request.contentDigest;
    const lapsed =
      !existing ||
      existing.expiresAt < Math.floor(request.nowMs / 1000) ||
      (existing.status === RecordStatus.Received && existing.leaseUntil! < request.nowMs && sameContent);
    if (lapsed) {
      this.records.set(request.webhookId, {
        webhookId: request.webhookId,
        status: RecordStatus.Received,
        leaseUntil: request.leaseUntil,
        expiresAt: request.expiresAt,
        claim: request,
      });
      return { outcome: "claimed" };
    }
    if (!sameContent) return { outcome: "conflict", status: existing.status };
    return existing.status === RecordStatus.Received
      ? { outcome: "in-progress" }
      : { outcome: "duplicate", status: existing.status };
  }

  async markQueued(webhookId: string): Promise<void> {
    await Promise.resolve();
    this.throwIfFailing("markQueued");
    const record = this.records.get(webhookId);
    if (record?.status === RecordStatus.Received) {
      record.status = RecordStatus.Queued;
      delete record.leaseUntil;
    }
  }

  async release(webhookId: string, leaseUntil: number): Promise<void> {
    await Promise.resolve();
    this.throwIfFailing("release");
    const record = this.records.get(webhookId);
    if (record?.status === RecordStatus.Received && record.leaseUntil === leaseUntil)
      this.records.delete(webhookId);
  }

  private throwIfFailing(operation: keyof InMemoryStore["failures"]): void {
    const failure = this.failures[operation];
    if (failure) throw failure;
  }
}

/** Messages SQS accepted; `failNext` rejects the next send, `hang` never answers (a crashed invocation). */
export class InMemoryQueue implements QueuePort {
  readonly messages: QueueMessage[] = [];
  private failures: Error[] = [];
  private hanging = false;

  failNext(error = new Error("ServiceUnavailable")): void {
    this.failures.push(error);
  }
  hang(): void {
    this.hanging = true;
  }
  async send(message: QueueMessage): Promise<void> {
    await Promise.resolve();
    if (this.hanging) {
      this.hanging = false;
      return new Promise(() => undefined);
    }
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.messages.push(message);
  }
}

export class InMemoryBlobs implements BlobsPort {
  readonly bucket = "payload-bucket";
  readonly objects = new Map<string, BlobObject>();
  private failures: Error[] = [];

  failNext(error = new Error("SlowDown")): void {
    this.failures.push(error);
  }
  async put(object: BlobObject): Promise<void> {
    await Promise.resolve();
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.objects.set(object.key, object);
  }
}

export interface LogEntry {
  readonly level: "info" | "warn" | "error";
  readonly message: string;
  readonly attributes: Record<string, unknown>;
}

export class RecordingLogger implements LoggerPort {
  readonly entries: LogEntry[] = [];
  info = (message: string, ...attributes: Record<string, unknown>[]) => this.add("info", message, attributes);
  warn = (message: string, ...attributes: Record<string, unknown>[]) => this.add("warn", message, attributes);
  error = (message: string, ...attributes: Record<string, unknown>[]) =>
    this.add("error", message, attributes);
  private add(level: LogEntry["level"], message: string, attributes: Record<string, unknown>[]): void {
    this.entries.push({ level, message, attributes: Object.assign({}, ...attributes) });
  }
}

export interface CountedMetric {
  readonly provider: string;
  readonly outcome: Outcome;
  readonly reason?: string;
}

export class RecordingMetrics implements MetricsPort {
  readonly counts: CountedMetric[] = [];
  count(provider: string, outcome: Outcome, reason?: string): void {
    this.counts.push(reason === undefined ? { provider, outcome } : { provider, outcome, reason });
  }
}
