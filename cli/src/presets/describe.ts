import type {
  HandshakeKind,
  HandshakeMatch,
  PresetDefinition,
  SignatureDefinition,
  TimestampDefinition,
  ValueSource,
  WebhookScheme,
} from "@webhooks/shared";

/**
 * A preset's data in words, for `webhooks providers` and the generated docs. `code` marks a
 * literal (a header, a field, a template): backticks in Markdown, nothing in a terminal.
 */
export type CodeMark = (text: string) => string;

export const plain: CodeMark = (text) => text;
export const backticks: CodeMark = (text) => `\`${text}\``;

/** How the request is authenticated: algorithm, where the signature is, what is signed, the timestamp. */
export function verifiedBy(preset: PresetDefinition, code: CodeMark): string {
  switch (preset.family) {
    case "hmac": {
      const hash = `HMAC-${preset.algorithm.toUpperCase()}`;
      const secret =
        preset.secret && preset.secret.decode !== "utf8" ? `, key ${preset.secret.decode}-decoded` : "";
      return `${hash} ${preset.signature.encoding}${secret} in ${where(preset.signature, code)} over ${code(preset.signedContent)}${timestamp(preset.timestamp, preset.signature, code)}`;
    }
    case "asymmetric": {
      const algorithm = preset.algorithm === "ed25519" ? "Ed25519" : "ECDSA P-256 / SHA-256 (DER)";
      return `${algorithm} ${preset.signature.encoding} in ${where(preset.signature, code)} over ${code(preset.signedContent)}${timestamp(preset.timestamp, preset.signature, code)}`;
    }
    case "token": {
      const { token } = preset;
      if (token.basic) return `${code("Authorization: Basic")} credentials, compared in constant time`;
      if (token.bodyField) return `body ${code(token.bodyField)}, compared in constant time`;
      const header =
        token.header !== undefined
          ? code(token.header)
          : `the header ${code(`settings.${token.headerSetting}`)} names (default ${code(String(preset.settings?.[token.headerSetting!]?.default))})`;
      return `${header}, compared in constant time`;
    }
    case "code":
      return `module ${code(preset.module)}${preset.toleranceSeconds ? `; timestamp ±${preset.toleranceSeconds} s` : ""}`;
  }
}

function where(signature: SignatureDefinition, code: CodeMark): string {
  const format = signature.format ?? { kind: "plain" };
  const value =
    format.kind === "plain"
      ? `${format.prefix ?? ""}<sig>`
      : format.kind === "entries"
        ? `${format.version},<sig> …`
        : [
            ...(format.timestampField ? [`${format.timestampField}=<ts>`] : []),
            `${format.signatureField}=<sig>`,
            "…",
          ].join(format.separator);
  if (signature.bodyField !== undefined) return `body ${code(signature.bodyField)}`;
  if (signature.headers !== undefined) return signature.headers.map((header) => code(header)).join(" or ");
  if (signature.headerPattern !== undefined)
    return `${code(signature.headerPattern.replace("{n}", "1"))} … ${code(`-${signature.headerCount}`)} (any)`;
  return code(`${signature.header}: ${value}`);
}

function timestamp(
  definition: TimestampDefinition | undefined,
  signature: SignatureDefinition,
  code: CodeMark,
): string {
  if (!definition) return "; no timestamp";
  const window = definition.window === "past-only" ? "at most" : "±";
  return `; timestamp ${timestampSource(definition, signature, code)} (${definition.format}, ${window}${definition.toleranceSeconds ?? 300} s)`;
}

function timestampSource(definition: TimestampDefinition, signature: SignatureDefinition, code: CodeMark) {
  const format = signature.format;
  return definition.header !== undefined
    ? code(definition.header)
    : definition.bodyField !== undefined
      ? `body ${code(definition.bodyField)}`
      : code(format?.kind === "elements" ? `${format.timestampField}` : "?");
}

/** Where the signature (or the token) is: header names, or where in the body. */
export function signatureLocation(preset: PresetDefinition, scheme: WebhookScheme): string[] {
  switch (preset.family) {
    case "hmac":
    case "asymmetric": {
      const { signature } = preset;
      if (signature.bodyField !== undefined) return [`body ${signature.bodyField}`];
      if (signature.headers !== undefined) return [...signature.headers];
      if (signature.headerPattern !== undefined)
        return [`${signature.headerPattern.replace("{n}", "1")}…${signature.headerCount}`];
      return [signature.header!];
    }
    case "token": {
      const { token } = preset;
      if (token.bodyField !== undefined) return [`body ${token.bodyField}`];
      if (token.basic) return ["Authorization (Basic)"];
      if (token.header !== undefined) return [token.header];
      return [
        `settings.${token.headerSetting} (default ${preset.settings?.[token.headerSetting!]?.default})`,
      ];
    }
    case "code": {
      const header = scheme.requiredHeader();
      return [header ?? "in the body"];
    }
  }
}

/** The signed timestamp in a few words, e.g. `t= ±300 s`, `X-Zendesk-…-Timestamp RFC 3339 ±300 s`; "none". */
export function timestampSummary(preset: PresetDefinition, scheme: WebhookScheme): string {
  const tolerance = scheme.defaultToleranceSeconds;
  if (preset.family === "code") return tolerance === undefined ? "none" : `±${tolerance} s`;
  if (preset.family === "token" || !preset.timestamp) return "none";
  const { timestamp: definition, signature } = preset;
  const source =
    definition.header ??
    (definition.bodyField !== undefined
      ? `body ${definition.bodyField}`
      : signature.format?.kind === "elements"
        ? `${signature.format.timestampField}=`
        : "?");
  const format = { "unix-s": "", "unix-ms": " ms", rfc3339: " RFC 3339" }[definition.format];
  const window = definition.window === "past-only" ? "≤" : "±";
  return `${source}${format} ${window}${tolerance} s`;
}

/** Delivery id → event type, as the sources are tried. */
export function identity(preset: PresetDefinition, code: CodeMark): string {
  const { identity: definition } = preset;
  const ids = definition.deliveryId.map((value) => source(value, code));
  const fallback =
    definition.deliveryIdFallback === "body-hash"
      ? "the body's SHA-256"
      : definition.deliveryIdFallback === "none"
        ? "none (not deduplicated)"
        : undefined;
  const batch = definition.batch;
  const id = batch
    ? `each event's ${batch.itemId.map(code).join("+")} (the events: ${batch.items ? `body ${code(batch.items)}` : "the body's array"})`
    : [...ids, ...(fallback ? [fallback] : [])].join(", else ") || "—";
  const types = definition.eventType.map((value) => source(value, code));
  const type =
    [
      ...types,
      ...(definition.batch
        ? [
            `the first event's ${definition.batch.itemType.map(code).join(definition.batch.itemTypeJoin ?? "/")}`,
          ]
        : []),
      ...(definition.eventTypeFallback ? [code(definition.eventTypeFallback)] : []),
    ].join(", else ") || "—";
  return `${id} → ${type}`;
}

function source(value: ValueSource, code: CodeMark): string {
  if (value.header !== undefined) return code(value.header);
  if (value.body !== undefined) return `body ${code(value.body)}`;
  if (value.bodyFields !== undefined)
    return value.join !== undefined
      ? `body ${value.bodyFields.map(code).join(value.join)}`
      : `hash of body ${value.bodyFields.map(code).join(", ")}`;
  return value.when === undefined
    ? code(String(value.constant))
    : `${code(String(value.constant))} (with ${code(value.when)})`;
}

/** What a handshake kind is answered with. */
export function handshake(kind: HandshakeKind, code: CodeMark): string {
  switch (kind.kind) {
    case "echo-body-field":
      return `${match(kind.when, code)} → 200 with ${code(kind.field)} (${kind.reply === "json" ? "JSON" : "text/plain"})`;
    case "hmac-echo":
      return `${match(kind.when, code)} → 200 ${code("{plainToken, encryptedToken}")}`;
    case "constant-reply":
      return `${match(kind.when, code)} → ${kind.status}${kind.json ? ` ${code(JSON.stringify(kind.json))}` : ""}`;
    case "status-only":
      return `${kind.unsigned ? "unsigned " : ""}${match(kind.when, code)} → ${kind.status}, nothing stored`;
    case "get-echo-query":
      return `${code(`GET ?${kind.param}=<s>`)} → 200 ${code("<s>")} (text/plain)`;
    case "get-echo-header-json":
      return `${code("GET")} with ${code(kind.header)} → 200 ${code(`{"${kind.field}": …}`)}`;
    case "head-ok":
      return `${code("HEAD")} → 200`;
    case "echo-header":
      return `unsigned POST with ${code(kind.header)} → 200 echoing it; stored as the signing secret (stateful)`;
    case "capture-token":
      return `unsigned POST with body ${code(kind.field)} → 200; the token is stored for the operator (stateful)`;
    case "module":
      return kind.description;
  }
}

function match(when: HandshakeMatch | readonly HandshakeMatch[], code: CodeMark): string {
  if (isMatchList(when)) return when.map((one) => match(one, code)).join(" and ");
  if ("header" in when) return code(`${when.header}: ${when.equals}`);
  if ("empty" in when) return `body ${code(when.body)} empty`;
  if ("matches" in when) return `body ${code(when.body)} ~ ${code(when.matches)}`;
  return `body ${code(when.body)} = ${code(String(when.equals))}`;
}

/** A handshake's `when` that lists matches which must all hold (Discord's PING: `type` 1 and a token). */
function isMatchList(when: HandshakeMatch | readonly HandshakeMatch[]): when is readonly HandshakeMatch[] {
  return Array.isArray(when);
}
