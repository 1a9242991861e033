import { type Checked, deliveryId, eventType, identity, isRecord, sha256Hex, valueAt } from "../common";
import type { BatchItem, IdentifyResult, SchemeRequest } from "../types";
import type { BatchDefinition, IdentityDefinition, ValueSource } from "./definition";
import { type HeaderNaming, namesOf, readHeader } from "./headers";

/** What an event type is when a batch item names none. */
const UNKNOWN_EVENT_TYPE = "unknown";

interface Resolved {
  /** Undefined: the source is absent. */
  readonly value: unknown;
  readonly label: string;
}

type Reader = (request: SchemeRequest, data: unknown) => Resolved;

/**
 * K8 compiled: the delivery id and event type of a verified request, from its headers and parsed
 * body, as the preset's identity definition says.
 */
export function compileIdentity(
  definition: IdentityDefinition,
  naming: HeaderNaming,
  /** Why a request that looks like a handshake is not a valid one; checked after the body's shape. */
  malformed: (request: SchemeRequest, data: unknown) => string | undefined = () => undefined,
): { identify(request: SchemeRequest, data: unknown): IdentifyResult; headers: string[] } {
  const headers: string[] = [];
  const reader = (source: ValueSource, label?: string): Reader => {
    if (source.header !== undefined) {
      const ref = naming.ref(source.header);
      headers.push(...namesOf(ref));
      const shown = label ?? ref.display;
      return (request) => ({ value: readHeader(request, ref), label: shown });
    }
    if (source.body !== undefined) {
      const path = source.body;
      const shown = label ?? `body ${path}`;
      if (source.text)
        return (_request, data) => ({ value: numberAsText(valueAt(data, path)), label: shown });
      return (_request, data) => ({ value: valueAt(data, path), label: shown });
    }
    if (source.bodyFields !== undefined) {
      const paths = source.bodyFields;
      const separator = source.join;
      const shown = label ?? `body ${paths.join(" + ")}`;
      if (separator !== undefined)
        return (_request, data) => ({ value: joined(data, paths, separator), label: shown });
      return (_request, data) => ({ value: composite(data, paths), label: shown });
    }
    const constant = source.constant!;
    const when = source.when;
    return (_request, data) => ({
      value: when === undefined || typeof valueAt(data, when) === "string" ? constant : undefined,
      label: label ?? constant,
    });
  };
  const chain = (sources: readonly ValueSource[], lastLabel: string | undefined) =>
    sources.map((source, index) => reader(source, index === sources.length - 1 ? lastLabel : undefined));

  const ids = chain(definition.deliveryId, undefined);
  const types = chain(definition.eventType, definition.eventTypeMissing);
  const idFallback = definition.deliveryIdFallback ?? "error";
  const typeFallback = definition.eventTypeFallback;
  const batch = definition.batch && compileBatch(definition.batch, typeFallback ?? UNKNOWN_EVENT_TYPE);
  const objectReason =
    definition.requireObject === "json-or-form"
      ? "body is not a JSON object or form"
      : "body is not a JSON object";

  return {
    headers,
    identify(request, data) {
      if (definition.requireObject && !isRecord(data)) return { ok: false, reason: objectReason };
      const handshakeProblem = malformed(request, data);
      if (handshakeProblem !== undefined) return { ok: false, reason: handshakeProblem };
      const items = batch?.(data);
      let id: Checked | undefined;
      const foundId = first(ids, request, data);
      if (foundId) id = deliveryId(numberAsText(foundId.value), foundId.label);
      else if (items && items.length > 0)
        id = { ok: true, value: sha256Hex(items.map((item) => item.deliveryId).join("\n")) };
      else if (idFallback === "body-hash") id = { ok: true, value: sha256Hex(request.body) };
      else if (idFallback === "error") id = deliveryId(undefined, ids.at(-1)!(request, data).label);
      const foundType = first(types, request, data);
      const type: Checked = foundType
        ? eventType(foundType.value, foundType.label)
        : items && items.length > 0
          ? { ok: true, value: items[0]!.eventType }
          : typeFallback !== undefined
            ? { ok: true, value: typeFallback }
            : eventType(undefined, definition.eventTypeMissing ?? types[0]!(request, data).label);
      const result = identity(id, type);
      return result.ok && items ? { ...result, items } : result;
    },
  };
}

/** Integer ids (HubSpot's `eventId`, Shopify's body ids) are ids too. */
function numberAsText(value: unknown): unknown {
  return typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
}

function first(readers: readonly Reader[], request: SchemeRequest, data: unknown): Resolved | undefined {
  for (const read of readers) {
    const resolved = read(request, data);
    if (resolved.value !== undefined) return resolved;
  }
  return undefined;
}

/** Several fields joined (`INVOICE` + `UPDATE` → `INVOICE.UPDATE`); absent unless every one is a string or number. */
function joined(data: unknown, paths: readonly string[], separator: string): string | undefined {
  const values = paths.map((path) => valueAt(data, path));
  return values.every((value) => typeof value === "string" || typeof value === "number")
    ? values.join(separator)
    : undefined;
}

/** Several fields as one key: the SHA-256 of their JSON; absent when none of them is present. */
function composite(data: unknown, paths: readonly string[]): string | undefined {
  const values = paths.map((path) => valueAt(data, path));
  if (values.every((value) => value === undefined)) return undefined;
  return sha256Hex(JSON.stringify(values.map((value) => value ?? null)));
}

/**
 * The events of a batch, each with an id and a type. An item without a usable id is keyed by
 * its own content (a replayed batch still dedupes item by item); one without a type gets the
 * fallback: a batch is never refused for one odd item.
 */
function compileBatch(
  definition: BatchDefinition,
  typeFallback: string,
): (data: unknown) => BatchItem[] | undefined {
  return (data) => {
    const items = definition.items === "" ? data : valueAt(data, definition.items);
    if (!Array.isArray(items)) return undefined;
    return items.map((item) => {
      const idValue =
        definition.itemId.length === 1
          ? valueAt(item, definition.itemId[0]!)
          : composite(item, definition.itemId);
      const id = deliveryId(numberAsText(idValue), "item id");
      const typeValue =
        definition.itemTypeJoin === undefined
          ? definition.itemType.map((path) => valueAt(item, path)).find((value) => value !== undefined)
          : joined(item, definition.itemType, definition.itemTypeJoin);
      const type = eventType(typeValue, "item type");
      return {
        deliveryId: id.ok ? id.value : sha256Hex(JSON.stringify(item) ?? "null"),
        eventType: type.ok ? type.value : typeFallback,
      };
    });
  };
}
