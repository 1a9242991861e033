import { bodyData, DEFAULT_TOLERANCE_SECONDS, fail, isFailure, MAX_SIGNATURES, valueAt } from "../common";
import type {
  ParseResult,
  SchemeOptions,
  SchemeRequest,
  SignedContent,
  VerifyFailure,
  WebhookScheme,
} from "../types";
import type { SignatureDefinition, SignatureFormat, TimestampDefinition } from "./definition";
import type { SignatureShape } from "./encoding";
import { findHeader, type HeaderNaming, type HeaderRef, namesOf, readHeader } from "./headers";
import { parseTemplate, type TemplatePart } from "./template";
import { checkTimestamp } from "./timestamp";

/** The parts of a signature check the HMAC and asymmetric families share (K2–K6). */
export interface SignedRequestDefinition {
  readonly signature: SignatureDefinition;
  readonly signedContent: string;
  readonly timestamp?: TimestampDefinition;
}

/** One signed content and the candidate signatures over it (a rotation group has its own timestamp). */
export interface Attempt {
  /** The signed bytes in order, never concatenated: strings as UTF-8, then the raw body. */
  readonly parts: readonly (string | Uint8Array)[];
  readonly signatures: readonly Buffer[];
}

export interface ParsedSignatures extends SignedContent {
  readonly attempts: readonly Attempt[];
}

export interface CompiledSignedRequest {
  /** Lowercased names of every header the check reads. */
  readonly headers: readonly string[];
  /** Lowercased names of the headers carrying signatures. */
  readonly signatureHeaders: readonly string[];
  /** The one signature header every request carries, if there is one. */
  readonly requiredHeader: string | undefined;
  readonly parts: readonly TemplatePart[];
  readonly defaultToleranceSeconds: number | undefined;
  /** What a sender writes: the signature headers, the headers the template signs, the timestamp header. */
  readonly signatureRefs: readonly HeaderRef[];
  readonly templateHeaders: readonly HeaderRef[];
  readonly timestampHeader: HeaderRef | undefined;
  readonly fixedHeaders: readonly (readonly [HeaderRef, string])[];
  parse(request: SchemeRequest, nowSeconds: number, options?: SchemeOptions): ParseResult;
}

/** What a scheme built on a compiled request answers from it alone (its headers, its parse). */
export function requestMembers(
  compiled: CompiledSignedRequest,
): Pick<WebhookScheme, "headers" | "requiredHeader" | "secretHeaders" | "parse" | "defaultToleranceSeconds"> {
  return {
    headers: () => compiled.headers,
    requiredHeader: () => compiled.requiredHeader,
    secretHeaders: () => compiled.signatureHeaders,
    parse: compiled.parse,
    defaultToleranceSeconds: compiled.defaultToleranceSeconds,
  };
}

type Located = { readonly display: string; readonly value: string };
const NO_VALUES: ReadonlyMap<string, string> = new Map();
/** A header value the template signs: 1-256 printable ASCII characters. */
const PRINTABLE = /^[\x21-\x7e]{1,256}$/;

/**
 * K2–K6 compiled: finds the signature (header, headers, numbered headers or body field), reads
 * its format (plain, elements, entries), checks each candidate's encoding with `shape`, reads the
 * timestamp and its window, and lays out the signed content from the template. Every check that
 * needs no secret, in the order: presence of every header, their formats, the signature, the
 * timestamp window, then body fields and the public URL.
 */
export function compileSignedRequest(
  definition: SignedRequestDefinition,
  naming: HeaderNaming,
  shape: SignatureShape,
): CompiledSignedRequest {
  const { signature, timestamp } = definition;
  const parsedTemplate = parseTemplate(definition.signedContent);
  if (typeof parsedTemplate === "string") throw new TypeError(`signedContent: ${parsedTemplate}`);
  // Header placeholders name headers after the family rename (`webhook-id` → `svix-id`).
  const parts: readonly TemplatePart[] = parsedTemplate.map((part) =>
    part.kind === "header" ? { kind: "header", name: naming.ref(part.name).name } : part,
  );
  const format: SignatureFormat = signature.format ?? { kind: "plain" };
  const max = signature.maxSignatures ?? MAX_SIGNATURES;

  const signatureRefs = signatureHeaderRefs(signature, naming);
  const required = signature.requireHeaders
    ? Object.entries(signature.requireHeaders).map(([name, value]) => [naming.ref(name), value] as const)
    : [];
  // Headers the template signs, in template order, each with the literal that follows it (a
  // value containing that separator would make the signed string ambiguous).
  const templateHeaders = parsedTemplate.flatMap((part, index) => {
    if (part.kind !== "header") return [];
    const next = parsedTemplate[index + 1];
    return [{ ref: naming.ref(part.name), separator: next?.kind === "literal" ? next.text[0] : undefined }];
  });
  const timestampHeader = timestamp?.header === undefined ? undefined : naming.ref(timestamp.header);
  const headerRefs = [
    ...signatureRefs,
    ...required.map(([ref]) => ref),
    ...templateHeaders.map(({ ref }) => ref),
    ...(timestampHeader ? [timestampHeader] : []),
  ];
  const headers = [...new Set(headerRefs.flatMap(namesOf))];
  const timestampField = format.kind === "elements" ? format.timestampField : undefined;
  // "<header>: t=", by the name the header came under: built once, not per request.
  const fieldLabels = new Map(
    signatureRefs.flatMap((ref) =>
      [ref.display, ...(ref.alias === undefined ? [] : [ref.alias])].map(
        (name) => [name, `${name}: ${timestampField}=`] as const,
      ),
    ),
  );

  function locate(request: SchemeRequest): Located[] | VerifyFailure {
    if (signature.bodyField !== undefined) {
      const value = valueAt(bodyData(request.body), signature.bodyField);
      const display = `body ${signature.bodyField}`;
      if (value === undefined) return fail("missing_header", `${display} is missing`);
      if (typeof value !== "string") return fail("malformed_header", `${display} is not a string`);
      return [{ display, value }];
    }
    const found: Located[] = [];
    for (const ref of signatureRefs) {
      const header = findHeader(request, ref);
      if (header !== undefined) found.push(header);
    }
    if (found.length === 0) {
      const shown = signature.headerPattern
        ? signatureRefs[0]!.display
        : signatureRefs.map((ref) => ref.display);
      return fail("missing_header", `${Array.isArray(shown) ? shown.join(" or ") : shown} is missing`);
    }
    return found;
  }

  function parse(request: SchemeRequest, nowSeconds: number, options?: SchemeOptions): ParseResult {
    const located = locate(request);
    if (isFailure(located)) return located;
    const values = templateHeaders.length === 0 ? NO_VALUES : new Map<string, string>();
    for (const { ref } of templateHeaders) {
      const value = readHeader(request, ref);
      if (value === undefined) return fail("missing_header", `${ref.display} is missing`);
      (values as Map<string, string>).set(ref.name, value);
    }
    let timestampText: string | undefined;
    let timestampLabel = "";
    if (timestampHeader) {
      timestampText = readHeader(request, timestampHeader);
      if (timestampText === undefined) return fail("missing_header", `${timestampHeader.display} is missing`);
      timestampLabel = timestampHeader.display;
    } else if (timestamp?.bodyField !== undefined) {
      const value = valueAt(bodyData(request.body), timestamp.bodyField);
      timestampLabel = `body ${timestamp.bodyField}`;
      if (value === undefined) return fail("missing_header", `${timestampLabel} is missing`);
      if (typeof value !== "string" && typeof value !== "number")
        return fail("malformed_header", `${timestampLabel} is not a string or number`);
      timestampText = String(value);
    }
    for (const [ref, expected] of required) {
      const value = readHeader(request, ref);
      if (value === undefined) return fail("missing_header", `${ref.display} is missing`);
      if (value !== expected) return fail("malformed_header", `${ref.display} is not ${expected}`);
    }
    for (const { ref, separator } of templateHeaders) {
      const value = values.get(ref.name)!;
      if (!PRINTABLE.test(value) || (separator !== undefined && value.includes(separator))) {
        const without = separator === undefined ? "" : ` without "${separator}"`;
        return fail("malformed_header", `${ref.display} is not 1-256 printable ASCII characters${without}`);
      }
    }

    const groups: SignatureGroup[] = [];
    for (const { display, value } of located) {
      const problem = readSignatures(value, display, format, shape, max, groups);
      if (problem) return problem;
    }
    let count = 0;
    for (const group of groups) count += group.signatures.length;
    if (count > max) return fail("malformed_header", `${located[0]!.display}: more than ${max} signatures`);

    let signedAt: number | undefined;
    const tolerance = options?.toleranceSeconds ?? timestamp?.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
    const attempts: Attempt[] = [];
    for (const group of groups) {
      const text = group.timestamp ?? timestampText;
      if (timestamp) {
        const label = group.timestamp === undefined ? timestampLabel : fieldLabels.get(group.display)!;
        const checked = checkTimestamp(
          text!,
          timestamp.format,
          label,
          nowSeconds,
          tolerance,
          timestamp.window,
        );
        if (typeof checked !== "number") return checked;
        if (signedAt === undefined) signedAt = checked;
      }
      const content = layout(parts, request, text, values, options);
      if (isFailure(content)) return content;
      attempts.push({ parts: content, signatures: group.signatures });
    }
    const signed: ParsedSignatures =
      signedAt === undefined
        ? { header: located[0]!.display, attempts }
        : { header: located[0]!.display, attempts, timestamp: signedAt };
    return { ok: true, signed };
  }

  return {
    headers,
    signatureHeaders: signatureRefs.flatMap(namesOf),
    requiredHeader: signatureRefs.length === 1 ? signatureRefs[0]!.display : undefined,
    parts,
    signatureRefs,
    templateHeaders: templateHeaders.map(({ ref }) => ref),
    timestampHeader,
    fixedHeaders: required,
    defaultToleranceSeconds: timestamp
      ? (timestamp.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)
      : undefined,
    parse,
  };
}

function signatureHeaderRefs(signature: SignatureDefinition, naming: HeaderNaming): HeaderRef[] {
  if (signature.header !== undefined) return [naming.ref(signature.header)];
  if (signature.headers !== undefined) return signature.headers.map((name) => naming.ref(name));
  if (signature.headerPattern !== undefined) {
    const pattern = signature.headerPattern;
    return Array.from({ length: signature.headerCount ?? MAX_SIGNATURES }, (_, index) =>
      naming.ref(pattern.replace("{n}", String(index + 1))),
    );
  }
  return [];
}

/** The signed bytes in order; adjacent text is joined so the MAC gets as few updates as possible. */
export function layout(
  parts: readonly TemplatePart[],
  request: SchemeRequest,
  timestampText: string | undefined,
  headers: ReadonlyMap<string, string>,
  options: SchemeOptions | undefined,
): (string | Uint8Array)[] | VerifyFailure {
  const out: (string | Uint8Array)[] = [];
  let text = "";
  for (const part of parts) {
    let piece: string;
    switch (part.kind) {
      case "body":
        if (text) out.push(text);
        out.push(request.body);
        text = "";
        continue;
      case "literal":
        piece = part.text;
        break;
      case "timestamp":
        piece = timestampText!;
        break;
      case "method":
        piece = request.method ?? "POST";
        break;
      case "url":
        if (options?.publicUrl === undefined)
          return fail(
            "unusable_secret",
            "no publicUrl is configured, and this sender signs the URL it calls",
          );
        piece = options.publicUrl;
        break;
      case "header": {
        const value = headers.get(part.name);
        if (value === undefined) return fail("missing_header", `${part.name} is missing`);
        piece = value;
        break;
      }
      case "json": {
        const value = valueAt(bodyData(request.body), part.path);
        if (value === undefined) return fail("missing_header", `body ${part.path} is missing`);
        if (typeof value !== "string" && typeof value !== "number")
          return fail("malformed_header", `body ${part.path} is not a string or number`);
        piece = String(value);
        break;
      }
    }
    text += piece;
  }
  if (text) out.push(text);
  return out;
}

interface SignatureGroup {
  readonly signatures: Buffer[];
  /** The group's own timestamp text (a signature field). */
  readonly timestamp?: string;
  /** The header it came from (its name as sent). */
  readonly display: string;
}

/** K3: the candidate signatures in one header (or body field) value, appended to `groups`. */
function readSignatures(
  value: string,
  display: string,
  format: SignatureFormat,
  shape: SignatureShape,
  max: number,
  groups: SignatureGroup[],
): VerifyFailure | undefined {
  switch (format.kind) {
    case "plain": {
      const prefix = format.prefix ?? "";
      if (!value.startsWith(prefix))
        return fail("malformed_header", `${display} does not start with ${prefix}`);
      const signature = shape.decode(value.slice(prefix.length));
      if (!signature)
        return fail(
          "malformed_header",
          prefix ? `${display} after ${prefix} ${shape.rule}` : `${display} ${shape.rule}`,
        );
      groups.push({ signatures: [signature], display });
      return undefined;
    }
    case "entries": {
      const group = readEntries(value, display, format.version, shape, max);
      if (isFailure(group)) return group;
      groups.push(group);
      return undefined;
    }
    case "elements": {
      if (format.groupSeparator === undefined) {
        const group = readElements(value, display, format, shape, max);
        if (isFailure(group)) return group;
        groups.push(group);
        return undefined;
      }
      const texts = value.split(format.groupSeparator, max + 1);
      if (texts.length > max)
        return fail("malformed_header", `${display}: more than ${max} signature groups`);
      for (const text of texts) {
        const group = readElements(text, display, format, shape, max);
        if (isFailure(group)) return group;
        groups.push(group);
      }
      return undefined;
    }
  }
}

/**
 * `t=<ts>,v1=<sig>[,v1=…]`. Scans with indexOf and builds reason strings only on failure: this
 * runs on every request.
 */
function readElements(
  value: string,
  display: string,
  format: Extract<SignatureFormat, { kind: "elements" }>,
  shape: SignatureShape,
  max: number,
): SignatureGroup | VerifyFailure {
  const { separator, signatureField, timestampField, strict, trim } = format;
  const signaturePrefix = `${signatureField}=`;
  const timestampPrefix = timestampField === undefined ? undefined : `${timestampField}=`;
  let timestamp: string | undefined;
  const signatures: Buffer[] = [];
  let element = 0;
  for (let start = 0; start <= value.length; ) {
    element++;
    const next = value.indexOf(separator, start);
    let end = next === -1 ? value.length : next;
    let from = start;
    if (trim) {
      while (from < end && value[from] === " ") from++;
      while (end > from && value[end - 1] === " ") end--;
    }
    if (timestampPrefix !== undefined && value.startsWith(timestampPrefix, from)) {
      if (timestamp !== undefined)
        return fail("malformed_header", `${display}: ${timestampPrefix} appears more than once`);
      timestamp = value.slice(from + timestampPrefix.length, end);
    } else if (value.startsWith(signaturePrefix, from)) {
      if (signatures.length === max)
        return fail("malformed_header", `${display}: more than ${max} ${signatureField} signatures`);
      const signature = shape.decode(value.slice(from + signaturePrefix.length, end));
      if (!signature) {
        return fail(
          "malformed_header",
          `${display}: ${signatureField} signature #${signatures.length + 1} ${shape.rule}`,
        );
      }
      signatures.push(signature);
    } else if (strict) {
      const expected = timestampPrefix
        ? `neither ${timestampPrefix} nor ${signaturePrefix}`
        : `not ${signaturePrefix}`;
      return fail("malformed_header", `${display}: element #${element} is ${expected}`);
    }
    start = (next === -1 ? value.length : next) + 1;
  }
  if (timestampPrefix !== undefined && timestamp === undefined)
    return fail("malformed_header", `${display}: no ${timestampPrefix} timestamp`);
  if (signatures.length === 0) return fail("malformed_header", `${display}: no ${signaturePrefix} signature`);
  return timestamp === undefined ? { signatures, display } : { signatures, timestamp, display };
}

/** `v1,<sig>[ v1,<sig>…]`; entries of other versions (v1a: asymmetric) are skipped, as the reference library does. */
function readEntries(
  value: string,
  display: string,
  version: string,
  shape: SignatureShape,
  max: number,
): SignatureGroup | VerifyFailure {
  const entries = value.split(" ", max + 1);
  if (entries.length > max) return fail("malformed_header", `${display}: more than ${max} signatures`);
  const signatures: Buffer[] = [];
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]!;
    const comma = entry.indexOf(",");
    if (comma < 1)
      return fail("malformed_header", `${display}: entry #${index + 1} is not <version>,<signature>`);
    if (entry.slice(0, comma) !== version) continue;
    const signature = shape.decode(entry.slice(comma + 1));
    if (!signature)
      return fail(
        "malformed_header",
        `${display}: ${version} signature #${signatures.length + 1} ${shape.rule}`,
      );
    signatures.push(signature);
  }
  if (signatures.length === 0) return fail("malformed_header", `${display}: no ${version} signature`);
  return { signatures, display };
}
