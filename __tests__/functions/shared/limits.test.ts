import {
  DELIVERY_ID_MAX_CHARS,
  EVENT_MAX_DEPTH,
  EVENT_TYPE_MAX_CHARS,
  INLINE_PAYLOAD_MAX_DEPTH,
  identityProblem,
  inlinePayloadProblem,
  MEDIA_TYPE_MAX_CHARS,
  parsePayload,
} from "@webhooks/shared";

/** A value `levels` deep, counting the scalar at the bottom as a level: nested(1) is 0, nested(2) is [0]. */
function nested(levels: number, wrap: (inner: unknown) => unknown = (inner) => [inner]): unknown {
  let value: unknown = 0;
  for (let level = 1; level < levels; level++) value = wrap(value);
  return value;
}

/** Levels of a JSON text: the deepest bracket nesting, plus one when a scalar sits at that depth. */
function textLevels(json: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < json.length; index++) {
    const char = json[index];
    if (inString) {
      if (char === "\\") index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "[" || char === "{") deepest = Math.max(deepest, ++depth);
    else if (char === "]" || char === "}") depth--;
    else if (/[0-9tfn]/.test(char!)) deepest = Math.max(deepest, depth + 1);
  }
  return deepest;
}

describe("inlinePayloadProblem: what the bus cannot carry inline unchanged", () => {
  test.each([
    ["arrays", (inner: unknown) => [inner]],
    ["objects", (inner: unknown) => ({ a: inner })],
  ])("%s nested to the limit pass; one level more travels by reference", (_kind, wrap) => {
    expect(inlinePayloadProblem(nested(INLINE_PAYLOAD_MAX_DEPTH, wrap))).toBeUndefined();
    expect(inlinePayloadProblem(nested(INLINE_PAYLOAD_MAX_DEPTH + 1, wrap))).toBe(
      `nests deeper than ${INLINE_PAYLOAD_MAX_DEPTH} levels`,
    );
  });

  test("a payload at the limit makes an event exactly as deep as EventBridge processes", () => {
    const event = {
      version: "0",
      "detail-type": "order.created",
      detail: { webhookId: "wh_1", data: nested(INLINE_PAYLOAD_MAX_DEPTH) },
    };
    expect(textLevels(JSON.stringify(event))).toBe(EVENT_MAX_DEPTH);
  });

  test("a million levels are answered, not a stack overflow", () => {
    const deep = JSON.parse(`${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}`);
    expect(inlinePayloadProblem(deep)).toBe(`nests deeper than ${INLINE_PAYLOAD_MAX_DEPTH} levels`);
  });

  test.each([
    ["the largest exact integer", "9007199254740991", undefined],
    ["the smallest exact integer", "-9007199254740991", undefined],
    ["a fraction", "0.1", undefined],
    ["a tiny float", "5e-324", undefined],
    ["2^53, already rounded by JSON.parse", "9007199254740993", "holds the number 9007199254740992"],
    ["-2^53", "-9007199254740992", "holds the number -9007199254740992"],
    ["an integer beyond int64, refused by EventBridge", "12345678901234567890", "holds the number"],
    ["a number JSON.parse turns into Infinity", "1e400", "holds the number Infinity"],
  ])("%s (%s)", (_name, json, problem) => {
    const found = inlinePayloadProblem(JSON.parse(`{"amount":${json}}`));
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  test.each([
    ["U+FFFD", true, "\uFFFD"],
    ["an emoji (a surrogate pair)", true, "\uD83D\uDE00"],
    ["U+FFFF (SQS does not allow it)", false, "\uFFFF"],
    ["U+FFFE (SQS does not allow it)", false, "\uFFFE"],
    ["an unpaired high surrogate", false, "a\uD83D"],
    ["an unpaired low surrogate", false, "\uDE00a"],
  ])("a string holding %s: carriable inline %s, as a value and as a key", (_name, carriable, text) => {
    const asValue = inlinePayloadProblem({ note: [text] });
    const asKey = inlinePayloadProblem({ nested: { [text]: 1 } });
    expect([asValue === undefined, asKey === undefined]).toEqual([carriable, carriable]);
  });
});

describe("identityProblem: delivery ids and event types the record and the bus can hold", () => {
  test.each([
    ["a delivery id at the limit", "d".repeat(DELIVERY_ID_MAX_CHARS), "t", undefined],
    [
      "a delivery id one over",
      "d".repeat(DELIVERY_ID_MAX_CHARS + 1),
      "t",
      "delivery id is over 256 characters",
    ],
    ["an event type at the limit", "d", "t".repeat(EVENT_TYPE_MAX_CHARS), undefined],
    [
      "an event type one over (EventBridge's DetailType)",
      "d",
      "t".repeat(EVENT_TYPE_MAX_CHARS + 1),
      "event type is over 128 characters (EventBridge's DetailType limit)",
    ],
    ["a delivery id with a space", "evt 1", "t", "delivery id is not printable ASCII"],
    ["an empty delivery id", "", "t", "delivery id is not printable ASCII"],
    [
      "an event type with non-ASCII",
      "d",
      "commande.créée",
      "event type is not printable ASCII (inner spaces allowed)",
    ],
    ["an event type with inner spaces (GitLab's X-Gitlab-Event)", "d", "Merge Request Hook", undefined],
    [
      "an event type with a leading space",
      "d",
      " Push Hook",
      "event type is not printable ASCII (inner spaces allowed)",
    ],
    [
      "an event type with a trailing space",
      "d",
      "Push Hook ",
      "event type is not printable ASCII (inner spaces allowed)",
    ],
  ])("%s", (_name, deliveryId, eventType, problem) => {
    expect(identityProblem(deliveryId, eventType)).toBe(problem);
  });
});

describe("parsePayload at the platform's limits", () => {
  const body = Buffer.from('{"type":"a"}');

  test("a media type of 255 characters is accepted; 256 is refused with 415 naming the limit", () => {
    const subtype = (length: number) => `application/${"v".repeat(length - "application/".length - 5)}+json`;
    expect(subtype(MEDIA_TYPE_MAX_CHARS)).toHaveLength(MEDIA_TYPE_MAX_CHARS);
    expect(parsePayload(body, subtype(MEDIA_TYPE_MAX_CHARS))).toEqual({ ok: true, data: { type: "a" } });
    expect(parsePayload(body, subtype(MEDIA_TYPE_MAX_CHARS + 1))).toEqual({
      ok: false,
      status: 415,
      reason: "media type is over 255 characters (RFC 6838)",
    });
  });

  test("a form field named __proto__ is carried like any other field", () => {
    const parsed = parsePayload(
      Buffer.from("__proto__=x&command=%2Fdeploy"),
      "application/x-www-form-urlencoded",
    );
    expect(parsed.ok && JSON.stringify(parsed.data)).toBe('{"__proto__":"x","command":"/deploy"}');
  });
});
