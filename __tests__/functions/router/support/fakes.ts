import type { Clock, Counters, Log } from "../../../../functions/router/ports";

/** A clock whose sleeps return at once and move time forward: retries cost no wall time. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(private current = Date.parse("2026-11-23T10:00:05.000Z")) {}
  now(): number {
    return this.current;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.current += ms;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

export interface LogLine {
  readonly level: "info" | "warn" | "error";
  readonly message: string;
  readonly attributes: Record<string, unknown>;
}

export class RecordingLog implements Log {
  readonly lines: LogLine[] = [];
  info(message: string, attributes: Record<string, unknown>): void {
    this.lines.push({ level: "info", message, attributes });
  }
  warn(message: string, attributes: Record<string, unknown>): void {
    this.lines.push({ level: "warn", message, attributes });
  }
  error(message: string, attributes: Record<string, unknown>): void {
    this.lines.push({ level: "error", message, attributes });
  }
  at(level: LogLine["level"]): LogLine[] {
    return this.lines.filter((line) => line.level === level);
  }
}

/** Sums counts per name, and per `name{key=value}` for dimensioned counts. */
export class RecordingCounters implements Counters {
  readonly totals = new Map<string, number>();
  published = 0;
  count(name: string, value: number, dimensions?: Readonly<Record<string, string>>): void {
    const key = dimensions
      ? `${name}{${Object.entries(dimensions)
          .map(([k, v]) => `${k}=${v}`)
          .join(",")}}`
      : name;
    this.totals.set(key, (this.totals.get(key) ?? 0) + value);
  }
  publish(): void {
    this.published += 1;
  }
  get(key: string): number {
    return this.totals.get(key) ?? 0;
  }
}
