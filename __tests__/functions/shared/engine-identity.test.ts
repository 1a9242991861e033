import { createHash } from "node:crypto";
import { headersFrom, type IdentifyResult } from "@webhooks/shared";
import type { IdentityDefinition } from "../../../functions/shared/schemes/engine/definition";
import { headerNaming } from "../../../functions/shared/schemes/engine/headers";
import { compileIdentity } from "../../../functions/shared/schemes/engine/identity";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const composite = (...values: unknown[]) => sha256(JSON.stringify(values));

function identify(
  definition: IdentityDefinition,
  data: unknown,
  headers: Record<string, string> = {},
  body = JSON.stringify(data),
): IdentifyResult {
  const { identify: run } = compileIdentity(definition, headerNaming(undefined, undefined));
  return run({ headers: headersFrom(headers), body: Buffer.from(body) }, data);
}

describe("K8: delivery id sources, first present wins", () => {
  test.each([
    ["a header", [{ header: "X-Id" }], {}, { "X-Id": "h-1" }, "h-1"],
    ["a body field", [{ body: "event.id" }], { event: { id: "b-1" } }, {}, "b-1"],
    ["an integer body field, as text", [{ body: "eventId" }], { eventId: 42 }, {}, "42"],
    ["the header before the body", [{ header: "X-Id" }, { body: "id" }], { id: "b" }, { "X-Id": "h" }, "h"],
    ["the body when the header is absent", [{ header: "X-Id" }, { body: "id" }], { id: "b" }, {}, "b"],
    ["an array element by index", [{ body: "items.1.id" }], { items: [{ id: "x" }, { id: "y" }] }, {}, "y"],
    [
      "several fields hashed into one key",
      [{ bodyFields: ["a", "b"] }],
      { a: "1", b: 2 },
      {},
      composite("1", 2),
    ],
    [
      "several fields, some absent (null)",
      [{ bodyFields: ["a", "b"] }],
      { a: "1" },
      {},
      composite("1", null),
    ],
  ] as const)("%s", (_case, deliveryId, data, headers, expected) => {
    const result = identify({ deliveryId, eventType: [{ constant: "t" }] }, data, headers);
    expect(result).toMatchObject({ ok: true, deliveryId: expected });
  });

  test.each([
    ["error (a 400 the sender sees)", "error", { ok: false, reason: "body id is missing" }],
    ["body-hash (retries resend the same bytes)", "body-hash", { ok: true, deliveryId: sha256('{"x":1}') }],
    ["none (not deduplicated)", "none", { ok: true, deliveryId: undefined }],
  ] as const)("no source present: %s", (_case, fallback, expected) => {
    const result = identify(
      { deliveryId: [{ body: "id" }], deliveryIdFallback: fallback, eventType: [{ constant: "t" }] },
      { x: 1 },
    );
    expect(result).toMatchObject(expected);
  });

  test("a present but unusable id is a 400, not a fallback", () => {
    const result = identify(
      { deliveryId: [{ body: "id" }], deliveryIdFallback: "body-hash", eventType: [{ constant: "t" }] },
      { id: { nested: true } },
    );
    expect(result).toEqual({ ok: false, reason: "body id is not 1-256 printable ASCII characters" });
  });
});

describe("K8: event type sources", () => {
  test.each([
    [
      "a joined pair (Xero's INVOICE.UPDATE)",
      [{ bodyFields: ["c", "t"], join: "." }],
      { c: "INVOICE", t: "UPDATE" },
      "INVOICE.UPDATE",
    ],
    ["a number as text (Discord's interaction type)", [{ body: "type", text: true }], { type: 2 }, "2"],
    [
      "a constant only when a field is a string (Slack's slash commands)",
      [{ constant: "slash_command", when: "command" }],
      { command: "/deploy" },
      "slash_command",
    ],
    ["inner spaces (GitLab's Push Hook)", [{ body: "kind" }], { kind: "Push Hook" }, "Push Hook"],
  ] as const)("%s", (_case, eventType, data, expected) => {
    const result = identify({ deliveryId: [], deliveryIdFallback: "none", eventType }, data);
    expect(result).toMatchObject({ ok: true, eventType: expected });
  });

  test("absent with a fallback: the fallback (Standard Webhooks' optional type)", () => {
    const result = identify(
      {
        deliveryId: [],
        deliveryIdFallback: "none",
        eventType: [{ body: "type" }],
        eventTypeFallback: "unknown",
      },
      {},
    );
    expect(result).toMatchObject({ ok: true, eventType: "unknown" });
  });

  test("absent without a fallback: a 400 naming the first source, or the configured name", () => {
    const definition = {
      deliveryId: [],
      deliveryIdFallback: "none",
      eventType: [{ body: "type" }, { header: "X-Event" }],
    } as const;
    expect(identify(definition, {})).toEqual({ ok: false, reason: "body type is missing" });
    expect(identify({ ...definition, eventTypeMissing: "X-Event (no body type)" }, {})).toEqual({
      ok: false,
      reason: "X-Event (no body type) is missing",
    });
  });

  test("a number is not an event type unless the source says so", () => {
    expect(
      identify({ deliveryId: [], deliveryIdFallback: "none", eventType: [{ body: "type" }] }, { type: 5 }),
    ).toEqual({
      ok: false,
      reason: "body type is not 1-128 printable ASCII characters",
    });
  });
});

describe("K8: batches", () => {
  const batch: IdentityDefinition = {
    deliveryId: [],
    deliveryIdFallback: "body-hash",
    eventType: [],
    eventTypeFallback: "unknown",
    batch: { items: "events", itemId: ["id"], itemType: ["type"] },
  };

  test("every item keeps its id and type; the request's id is the hash of the item ids, its type the first item's", () => {
    const result = identify(batch, {
      events: [
        { id: "a", type: "x" },
        { id: 7, type: "y" },
      ],
    });
    expect(result).toEqual({
      ok: true,
      deliveryId: sha256("a\n7"),
      eventType: "x",
      items: [
        { deliveryId: "a", eventType: "x" },
        { deliveryId: "7", eventType: "y" },
      ],
    });
  });

  test("an item without an id is keyed by its content, one without a type gets the fallback: a batch is never refused for one odd item", () => {
    const item = { note: "no id" };
    const result = identify(batch, { events: [item] });
    expect(result).toMatchObject({
      items: [{ deliveryId: sha256(JSON.stringify(item)), eventType: "unknown" }],
    });
  });

  test("an empty batch (Asana's heartbeat) is keyed by the body", () => {
    expect(identify(batch, { events: [] })).toMatchObject({
      ok: true,
      deliveryId: sha256('{"events":[]}'),
      items: [],
    });
  });

  test("the body itself may be the array (HubSpot, SendGrid)", () => {
    const result = identify(
      { ...batch, batch: { items: "", itemId: ["eventId"], itemType: ["subscriptionType"] } },
      [{ eventId: 1, subscriptionType: "contact.creation" }],
    );
    expect(result).toMatchObject({ ok: true, eventType: "contact.creation", items: [{ deliveryId: "1" }] });
  });

  test("item types may be joined (Asana's task.changed)", () => {
    const result = identify(
      {
        ...batch,
        batch: {
          items: "events",
          itemId: ["id"],
          itemType: ["resource.resource_type", "action"],
          itemTypeJoin: ".",
        },
      },
      { events: [{ id: "1", action: "changed", resource: { resource_type: "task" } }] },
    );
    expect(result).toMatchObject({ eventType: "task.changed" });
  });
});

test("a body that must be an object names what it expected", () => {
  expect(
    identify({ requireObject: "json", deliveryId: [{ body: "id" }], eventType: [{ body: "type" }] }, [1]),
  ).toEqual({
    ok: false,
    reason: "body is not a JSON object",
  });
});
