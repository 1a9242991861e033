/**
 * The limits between an accepted request and the bus that a correctly signed body can reach, in
 * one place, so the validator and the router agree on them. The rule: whatever the router could
 * not put on the bus is refused (4xx) or claim-checked by the validator before its 2xx, so nothing
 * acknowledged fails later, and nothing correctly signed gets a 5xx.
 *
 * | limit | value | source | decision |
 * |---|---|---|---|
 * | event type (DetailType) | 1–128 characters | PutEventsRequestEntry | printable ASCII, else 400 |
 * | delivery id | 1–256 characters | the record (item < 1 KB) | printable ASCII, else 400 |
 * | media type | 255 characters | RFC 6838 §4.2 (127 + "/" + 127) | 415 |
 * | nesting | 1000 levels in the event | PutEvents API reference | deeper payloads by reference |
 * | integers | ±(2^63 − 1) on the bus, ±(2^53 − 1) exact in JSON.parse | PutEvents API reference | larger ones by reference |
 * | characters | no U+FFFE, U+FFFF, lone surrogates | SQS SendMessage allowed characters | by reference |
 * | entry size | 256 KiB budget (1 MiB quota) | PutEvents entry size formula | by reference |
 *
 * "By reference" keeps the payload intact: the raw request bytes go to the payload bucket (the
 * validator's claim check) and the event carries `payloadRef` instead of `data`.
 */

/** A provider id (`^[a-z0-9][a-z0-9-]{0,31}$`): part of Source, table items and payload keys. */
export const PROVIDER_ID_MAX_CHARS = 32;
/** PutEventsRequestEntry.DetailType: 1 to 128 characters. */
export const DETAIL_TYPE_MAX_CHARS = 128;
/** PutEventsRequestEntry.Source: 1 to 256 characters. */
export const SOURCE_MAX_CHARS = 256;
/** The event type becomes the DetailType, so it has the DetailType's bound. */
export const EVENT_TYPE_MAX_CHARS = DETAIL_TYPE_MAX_CHARS;
/** A delivery id is stored in the record, whose every write must stay one unit (< 1 KB). */
export const DELIVERY_ID_MAX_CHARS = 256;
/** RFC 6838 §4.2: type and subtype names are at most 127 characters each. */
export const MEDIA_TYPE_MAX_CHARS = 255;

/**
 * "PutEvents will only process nested JSON up to 1000 levels deep" (the PutEvents API reference;
 * earlier revisions said 1100, the lower number holds).
 */
export const EVENT_MAX_DEPTH = 1000;
/**
 * The deepest payload carried inline: the payload sits under the event and its detail
 * (`{ detail: { data: … } }`), and a scalar counts as a level of its own (the stricter reading).
 */
export const INLINE_PAYLOAD_MAX_DEPTH = EVENT_MAX_DEPTH - 2;

/** EventBridge's PutEvents entry quota since the 2026 raise; a larger budget could only fail. */
export const BUS_ENTRY_QUOTA_BYTES = 1_048_576;
/** The default entry budget: 256 KiB, since not every Region has the 1 MiB raise. */
export const BUS_ENTRY_BUDGET_BYTES = 262_144;
/**
 * An upper bound of the largest by-reference entry any accepted delivery yields (event type,
 * delivery id and media type at their limits, every character JSON-escaped: about 2.2 KB). A
 * budget at least this large means no entry ever fails for its size.
 */
export const REFERENCE_ENTRY_MAX_BYTES = 4_096;

const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
/**
 * Event types may have inner spaces: GitLab's `X-Gitlab-Event` is "Push Hook", and EventBridge's
 * own detail types have them ("EC2 Instance State-change Notification").
 */
const EVENT_TYPE_CHARACTERS = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
/**
 * Characters JSON.stringify leaves raw that SQS does not allow in a message (U+FFFE, U+FFFF: its
 * API reference says refused with InvalidMessageContents, newer revisions say replaced with U+FFFD;
 * lost either way), and unpaired surrogates, which it escapes but a consumer re-encoding the event
 * cannot write.
 */
const NOT_CARRIABLE = /[\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a delivery's identity would break the record or the bus entry, or undefined.
 *
 * @example identityProblem("evt_1", "t".repeat(129)) // "event type is over 128 characters (EventBridge's DetailType limit)"
 */
export function identityProblem(deliveryId: string, eventType: string): string | undefined {
  if (deliveryId.length > DELIVERY_ID_MAX_CHARS)
    return `delivery id is over ${DELIVERY_ID_MAX_CHARS} characters`;
  if (!PRINTABLE_ASCII.test(deliveryId)) return "delivery id is not printable ASCII";
  if (eventType.length > EVENT_TYPE_MAX_CHARS)
    return `event type is over ${EVENT_TYPE_MAX_CHARS} characters (EventBridge's DetailType limit)`;
  if (!EVENT_TYPE_CHARACTERS.test(eventType))
    return "event type is not printable ASCII (inner spaces allowed)";
  return undefined;
}

/**
 * Why a parsed payload cannot travel inline (in the SQS envelope and as the event's `data`)
 * without failing or changing, or undefined. Such a payload travels by reference instead.
 * Iterative: a body nested a million levels deep is answered, not a stack overflow.
 *
 * @example inlinePayloadProblem({ id: 2 ** 53 }) // "holds the number 9007199254740992, outside ±(2^53 − 1)"
 */
export function inlinePayloadProblem(data: unknown): string | undefined {
  const pending: Array<readonly [value: unknown, depth: number]> = [[data, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (depth > INLINE_PAYLOAD_MAX_DEPTH) return `nests deeper than ${INLINE_PAYLOAD_MAX_DEPTH} levels`;
    if (typeof value === "number") {
      // JSON.parse has already rounded such an integer, and EventBridge refuses those beyond int64.
      if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value)))
        return `holds the number ${value}, outside ±(2^53 − 1)`;
    } else if (typeof value === "string") {
      if (NOT_CARRIABLE.test(value)) return "holds U+FFFE, U+FFFF or an unpaired surrogate";
    } else if (Array.isArray(value)) {
      for (const item of value) pending.push([item, depth + 1]);
    } else if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (NOT_CARRIABLE.test(key)) return "has a key with U+FFFE, U+FFFF or an unpaired surrogate";
        pending.push([item, depth + 1]);
      }
    }
  }
  return undefined;
}
