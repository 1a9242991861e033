/**
 * A read-only view of a synthesized `cdk.tf.json`: every resource and data source as an entry with
 * its address, attributes and construct path, indexed by address and type.
 */
export type Attributes = Readonly<Record<string, unknown>>;

export interface Entry {
  readonly mode: "resource" | "data";
  readonly type: string;
  readonly id: string;
  /** `aws_sqs_queue.x` or `data.archive_file.y`. */
  readonly address: string;
  /** The resource's attributes without cdktf's `//` metadata. */
  readonly attrs: Attributes;
  /** Construct path without the stack name (`ingress/api/method-acme`); derived from the logical id when absent. */
  readonly path: string;
}

export class TfDocument {
  readonly stack: string;
  readonly region?: string;
  readonly entries: readonly Entry[];
  private readonly byAddress = new Map<string, Entry>();
  private readonly byType = new Map<string, Entry[]>();

  constructor(doc: unknown) {
    if (!isRecord(doc)) {
      throw new TypeError("inventory: expected a parsed cdk.tf.json document (a JSON object)");
    }
    const metadata = record(record(doc["//"]).metadata);
    this.stack = typeof metadata.stackName === "string" ? metadata.stackName : "";
    const aws = record(doc.provider).aws;
    const firstAws = Array.isArray(aws) ? record(aws[0]) : record(aws);
    if (typeof firstAws.region === "string") this.region = firstAws.region;

    const entries: Entry[] = [];
    for (const mode of ["resource", "data"] as const) {
      for (const [type, byId] of Object.entries(record(doc[mode]))) {
        for (const [id, raw] of Object.entries(record(byId))) {
          const { "//": meta, ...attrs } = record(raw);
          const fullPath = record(record(meta).metadata).path;
          const path =
            typeof fullPath === "string"
              ? fullPath.split("/").slice(1).join("/") || fullPath
              : pathFromId(id);
          const address = mode === "data" ? `data.${type}.${id}` : `${type}.${id}`;
          entries.push({ mode, type, id, address, attrs, path });
        }
      }
    }
    // Address order, not the file's key order: everything built from the document (lists,
    // references, findings) comes out the same however the JSON was written.
    this.entries = entries.sort((a, b) => compareText(a.address, b.address));
    for (const entry of entries) {
      this.byAddress.set(entry.address, entry);
      const list = this.byType.get(entry.type) ?? [];
      list.push(entry);
      this.byType.set(entry.type, list);
    }
  }

  get(address: string): Entry | undefined {
    return this.byAddress.get(address);
  }

  /** Resources (not data sources) of a type. */
  ofType(type: string): readonly Entry[] {
    return (this.byType.get(type) ?? []).filter((entry) => entry.mode === "resource");
  }

  /** Data sources of a type. */
  dataOfType(type: string): readonly Entry[] {
    return (this.byType.get(type) ?? []).filter((entry) => entry.mode === "data");
  }
}

/**
 * The construct path a cdktf logical id was made from, for documents without `//` metadata
 * (`Testing.synth` strips it): `delivery_route-payments_dlq_queue_DC022221` → `delivery/route-payments/dlq/queue`.
 * cdktf joins the path with `_`, drops a repeated last segment and appends 8 hex of a hash.
 */
export function pathFromId(id: string): string {
  const base = id.replace(/_[0-9A-F]{8}$/, "");
  return base === id ? id : base.split("_").join("/");
}

/** Code-unit order, the same on every machine (localeCompare follows the locale). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value as a record; `{}` for anything else. */
export function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** A Terraform block that may be written as an object or a one-element list of objects. */
export function block(value: unknown): Record<string, unknown> {
  return Array.isArray(value) ? record(value[0]) : record(value);
}

/** A list of blocks written as a list or a single object. */
export function blocks(value: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(value)) return value.filter(isRecord);
  return isRecord(value) ? [value] : [];
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;
}

export function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => (str(item) === undefined ? [] : [str(item)!]));
  const single = str(value);
  return single === undefined ? [] : [single];
}

export function num(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}

/** Terraform booleans may be written as strings ("true"). */
export function bool(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === "true") return true;
  if (value === "false") return false;
  return undefined;
}
