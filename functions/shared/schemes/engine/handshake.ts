import { createHmac } from "node:crypto";
import { bodyData, isRecord, valueAt } from "../common";
import type {
  HandshakeAnswer,
  HandshakeInput,
  HandshakeKind,
  HandshakeMatch,
  HandshakePhase,
  SchemeRequest,
} from "../types";
import type { HeaderNaming } from "./headers";

const JSON_TYPE = { "Content-Type": "application/json" } as const;
const TEXT_TYPE = {
  "Content-Type": "text/plain; charset=utf-8",
  "X-Content-Type-Options": "nosniff",
} as const;
// A value echoed back to the caller: bounded printable ASCII, so an echo reflects nothing else.
const ECHOABLE = /^[\x21-\x7e]{1,512}$/;

export interface CompiledHandshakes {
  /** Lowercased names of the headers the handshakes read. */
  readonly headers: readonly string[];
  answer(
    phase: HandshakePhase,
    input: HandshakeInput,
    signatureHeaders: readonly string[],
  ): HandshakeAnswer | undefined;
  /** Why a request that looks like a handshake is not a valid one ("url_verification without a string challenge"). */
  malformed(request: SchemeRequest, data: unknown): string | undefined;
  /** The JSON body of a body-only signed echo (Slack), for `WebhookScheme.handshake`. */
  legacy?(data: unknown): Record<string, unknown> | undefined;
}

/**
 * K9: the answer each handshake kind gives, as pure functions of the request (and, for Zoom's
 * echo, the secret that verified it). Unsigned kinds (GET/HEAD challenges, WooCommerce's ping,
 * Asana's and Notion's secret hand-over) are recognised only on a request without a signature,
 * before verification; signed kinds only after it.
 */
export function compileHandshakes(kinds: readonly HandshakeKind[], naming: HeaderNaming): CompiledHandshakes {
  const headers: string[] = [];
  const header = (name: string) => {
    const ref = naming.ref(name);
    headers.push(ref.name);
    return ref;
  };
  const matchers = new Map<HandshakeKind, (request: SchemeRequest, data: unknown) => boolean>();
  for (const kind of kinds) {
    if ("when" in kind) matchers.set(kind, matcher(kind.when, header));
    if (kind.kind === "get-echo-header-json" || kind.kind === "echo-header") header(kind.header);
  }
  const matches = (kind: HandshakeKind, request: SchemeRequest, data: unknown) =>
    matchers.get(kind)!(request, data);

  function answerOne(
    kind: HandshakeKind,
    phase: HandshakePhase,
    input: HandshakeInput,
    unsigned: boolean,
  ): HandshakeAnswer | undefined {
    const { request } = input;
    const method = request.method ?? "POST";
    const before = phase === "before-verification";
    switch (kind.kind) {
      case "echo-body-field": {
        if (before || !matches(kind, request, input.data)) return undefined;
        const value = valueAt(input.data, kind.field);
        if (typeof value !== "string") return undefined;
        return kind.reply === "json"
          ? reply(kind.kind, 200, JSON_TYPE, JSON.stringify({ [kind.field.split(".").at(-1)!]: value }))
          : reply(kind.kind, 200, TEXT_TYPE, value);
      }
      case "hmac-echo": {
        if (before || !matches(kind, request, input.data)) return undefined;
        const token = valueAt(input.data, kind.field);
        const secret = input.secrets?.[input.secretIndex ?? 0];
        if (typeof token !== "string" || secret === undefined) return undefined;
        const encryptedToken = createHmac("sha256", secret).update(token).digest("hex");
        return reply(kind.kind, 200, JSON_TYPE, JSON.stringify({ plainToken: token, encryptedToken }));
      }
      case "constant-reply":
        if (before || !matches(kind, request, input.data)) return undefined;
        return kind.json === undefined
          ? reply(kind.kind, kind.status, {}, "")
          : reply(kind.kind, kind.status, JSON_TYPE, JSON.stringify(kind.json));
      case "status-only":
        if (kind.unsigned ? !(before && unsigned && method === "POST") : before) return undefined;
        return matches(kind, request, kind.unsigned ? bodyData(request.body) : input.data)
          ? reply(kind.kind, kind.status, {}, "")
          : undefined;
      case "get-echo-query": {
        const value = request.query?.get(kind.param);
        if (!before || method !== "GET" || value === undefined || !ECHOABLE.test(value)) return undefined;
        return reply(kind.kind, 200, TEXT_TYPE, value);
      }
      case "get-echo-header-json": {
        const value = request.headers.get(naming.ref(kind.header).name);
        if (before || method !== "GET" || value === undefined || !ECHOABLE.test(value)) return undefined;
        return reply(kind.kind, 200, JSON_TYPE, JSON.stringify({ [kind.field]: value }));
      }
      case "head-ok":
        return before && method === "HEAD" ? reply(kind.kind, 200, {}, "") : undefined;
      case "echo-header": {
        const ref = naming.ref(kind.header);
        const value = request.headers.get(ref.name);
        if (!before || !unsigned || method !== "POST" || value === undefined || !ECHOABLE.test(value))
          return undefined;
        return { ...reply(kind.kind, 200, { [ref.display]: value }, ""), store: { secret: value } };
      }
      case "capture-token": {
        if (!before || !unsigned || method !== "POST") return undefined;
        const value = valueAt(bodyData(request.body), kind.field);
        if (typeof value !== "string" || !ECHOABLE.test(value)) return undefined;
        return { ...reply(kind.kind, 200, {}, ""), store: { secret: value } };
      }
      case "module":
        return undefined;
    }
  }

  const echoes = kinds.filter(
    (kind): kind is Extract<HandshakeKind, { kind: "echo-body-field" | "hmac-echo" }> =>
      kind.kind === "echo-body-field" || kind.kind === "hmac-echo",
  );
  const jsonEcho = echoes.find(
    (kind) => kind.kind === "echo-body-field" && kind.reply === "json" && "body" in kind.when,
  );

  return {
    headers,
    answer(phase, input, signatureHeaders) {
      if (kinds.length === 0) return undefined;
      const unsigned = signatureHeaders.every((name) => !input.request.headers.has(name));
      for (const kind of kinds) {
        const answer = answerOne(kind, phase, input, unsigned);
        if (answer) return answer;
      }
      return undefined;
    },
    malformed(request, data) {
      for (const kind of echoes) {
        if (matches(kind, request, data) && typeof valueAt(data, kind.field) !== "string") {
          const marker = "equals" in kind.when ? kind.when.equals : "handshake";
          return `${marker} without a string ${kind.field}`;
        }
      }
      return undefined;
    },
    ...(jsonEcho && {
      legacy(data: unknown) {
        if (!isRecord(data) || !matches(jsonEcho, { headers: new Map(), body: new Uint8Array() }, data))
          return undefined;
        const value = valueAt(data, jsonEcho.field);
        return typeof value === "string" ? { [jsonEcho.field]: value } : undefined;
      },
    }),
  };
}

function reply(
  kind: string,
  status: number,
  headers: Readonly<Record<string, string>>,
  body: string,
): HandshakeAnswer {
  return { kind, status, headers: { ...headers }, body };
}

function matcher(
  match: HandshakeMatch | readonly HandshakeMatch[],
  header: (name: string) => { readonly name: string },
): (request: SchemeRequest, data: unknown) => boolean {
  if (isMatchList(match)) {
    const all = match.map((one) => matcher(one, header));
    return (request, data) => all.every((matches) => matches(request, data));
  }
  if ("header" in match) {
    const { name } = header(match.header);
    return (request) => request.headers.get(name) === match.equals;
  }
  if ("empty" in match) {
    return (_request, data) => {
      const value = valueAt(data, match.body);
      return value === null || (Array.isArray(value) && value.length === 0);
    };
  }
  if ("matches" in match) {
    const pattern = new RegExp(match.matches);
    return (_request, data) => {
      const value = valueAt(data, match.body);
      return (typeof value === "string" || typeof value === "number") && pattern.test(String(value));
    };
  }
  return (_request, data) => valueAt(data, match.body) === match.equals;
}

function isMatchList(match: HandshakeMatch | readonly HandshakeMatch[]): match is readonly HandshakeMatch[] {
  return Array.isArray(match);
}
