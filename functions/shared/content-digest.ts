import { sha256Hex } from "./schemes/common";

/** A path into a parsed body: member names, `*` for every element of an array or member of an object. */
export type FieldPath = readonly string[];

/** The parsed body and the parts of it a sender changes from one attempt to the next. */
export interface VolatileFields {
  readonly data: unknown;
  /** Each path ends at the member to leave out, e.g. `["delivery_attempts"]`, `["*", "attemptNumber"]`. */
  readonly ignore: readonly FieldPath[];
}

/**
 * What the claim remembers of a delivery's content: a later request with the same delivery id and
 * another digest is a conflict (409), one with the same digest a duplicate. By default the
 * lowercase hex SHA-256 of the raw body (so equal to a claim check's `sha256`): senders that
 * re-sign a retry with a fresh timestamp (Stripe, Svix, Slack) send the same bytes. For a sender
 * whose body carries an attempt counter or a send time, its scheme names those fields
 * (`WebhookScheme.volatileFields`), and the digest covers the parsed body without them.
 *
 * @example contentDigest(body, { data, ignore: [["delivery_attempts"], ["first_sent_at"]] })
 */
export function contentDigest(body: Uint8Array, volatile?: VolatileFields): string {
  if (!volatile) return sha256Hex(body);
  const content = volatile.ignore.reduce(without, volatile.data);
  try {
    return sha256Hex(Buffer.from(JSON.stringify(content) ?? "", "utf8"));
  } catch (error) {
    // Nested too deep to serialize (thousands of levels): the raw bytes still identify the content.
    if (error instanceof RangeError) return sha256Hex(body);
    throw error;
  }
}

/** A copy of `value` without the member `path` ends at; only the objects along the path are copied. */
function without(value: unknown, path: FieldPath): unknown {
  if (path.length === 0 || typeof value !== "object" || value === null) return value;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return head === "*" ? value.map((item) => without(item, rest)) : value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const onPath = head === "*" || key === head;
    if (onPath && rest.length === 0) continue;
    // Defined, not assigned, so a member named __proto__ stays a member.
    Object.defineProperty(copy, key, {
      value: onPath ? without(item, rest) : item,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}
