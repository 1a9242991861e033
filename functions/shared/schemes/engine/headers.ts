import type { SchemeRequest } from "../types";

/** A header as a preset names it: looked up lowercased, shown as written. */
export interface HeaderRef {
  readonly name: string;
  readonly display: string;
  /** The same header without the sender's optional prefix (Shopify's `shopify-topic`). */
  readonly alias?: string;
}

/**
 * A preset's header names after the `headerFamily` rename (`webhook-` → `svix-`) and with the
 * optional prefix's alias.
 */
export interface HeaderNaming {
  ref(display: string): HeaderRef;
}

export function headerNaming(family: string | undefined, optionalPrefix: string | undefined): HeaderNaming {
  const renamed = (display: string) =>
    family && family !== "webhook" && display.startsWith("webhook-")
      ? `${family}-${display.slice("webhook-".length)}`
      : display;
  const prefix = optionalPrefix?.toLowerCase();
  return {
    ref(display) {
      const shown = renamed(display);
      const name = shown.toLowerCase();
      return prefix && name.startsWith(prefix)
        ? { name, display: shown, alias: name.slice(prefix.length) }
        : { name, display: shown };
    },
  };
}

/** The header's value, under its name or its alias. */
export function readHeader(request: SchemeRequest, ref: HeaderRef): string | undefined {
  return (
    request.headers.get(ref.name) ?? (ref.alias === undefined ? undefined : request.headers.get(ref.alias))
  );
}

/** The header's value and the name it came under (for reasons), or undefined. */
export function findHeader(
  request: SchemeRequest,
  ref: HeaderRef,
): { value: string; display: string } | undefined {
  const value = request.headers.get(ref.name);
  if (value !== undefined) return { value, display: ref.display };
  const aliased = ref.alias === undefined ? undefined : request.headers.get(ref.alias);
  return aliased === undefined ? undefined : { value: aliased, display: ref.alias! };
}

/** Every lowercased name a header may arrive under. */
export function namesOf(ref: HeaderRef): string[] {
  return ref.alias === undefined ? [ref.name] : [ref.name, ref.alias];
}
