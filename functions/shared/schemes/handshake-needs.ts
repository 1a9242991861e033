import type { HandshakeKind, SchemeOptions, WebhookScheme } from "./types";

// What a scheme's handshakes need of the platform besides the validator's POST route: API
// methods for GET and HEAD challenges, and write access to the provider's secret for the stateful
// kinds. Read from the kinds' data, so the stack and the validator agree.

/** The methods besides POST a sender's handshake may use, each needing its own API Gateway method. */
export type ExtraHandshakeMethod = "GET" | "HEAD";

/**
 * What one GET or HEAD handshake of a scheme needs, read from its kinds: the API method's
 * required parameters, and how the validator answers it.
 */
export interface HandshakeMethodRoute {
  readonly method: ExtraHandshakeMethod;
  /** Headers every such request carries (as the preset spells them): the API method requires them. */
  readonly headers: readonly string[];
  /** Query parameters every such request carries: the API method requires them. */
  readonly query: readonly string[];
  /** Answered before verification from the provider's secrets (a module's challenge: Braintree). */
  readonly secretsBeforeVerification: boolean;
  /** Answered only once the request verified (Okta's challenge carries its token header). */
  readonly verified: boolean;
}

/**
 * The GET and HEAD methods a scheme's handshakes arrive with, one entry per method (none for a
 * scheme whose handshakes, if any, are POSTs). When several kinds share a method, only what all of
 * them carry is required.
 *
 * @example handshakeMethods(presetById("dropbox")) // [{ method: "GET", headers: [], query: ["challenge"], … }]
 */
export function handshakeMethods(
  scheme: Pick<WebhookScheme, "handshakes" | "requiredHeader">,
  options?: SchemeOptions,
): HandshakeMethodRoute[] {
  const byMethod = new Map<ExtraHandshakeMethod, HandshakeMethodRoute>();
  for (const kind of scheme.handshakes) {
    const route = routeOf(kind, () => scheme.requiredHeader(options));
    if (!route) continue;
    const seen = byMethod.get(route.method);
    byMethod.set(
      route.method,
      seen
        ? {
            method: route.method,
            headers: seen.headers.filter((header) => route.headers.includes(header)),
            query: seen.query.filter((param) => route.query.includes(param)),
            secretsBeforeVerification: seen.secretsBeforeVerification || route.secretsBeforeVerification,
            verified: seen.verified || route.verified,
          }
        : route,
    );
  }
  return [...byMethod.values()];
}

function routeOf(
  kind: HandshakeKind,
  tokenHeader: () => string | undefined,
): HandshakeMethodRoute | undefined {
  const route = (method: ExtraHandshakeMethod, parts: Partial<HandshakeMethodRoute>) => ({
    method,
    headers: [],
    query: [],
    secretsBeforeVerification: false,
    verified: false,
    ...parts,
  });
  switch (kind.kind) {
    case "get-echo-query":
      return route("GET", { query: [kind.param] });
    case "get-echo-header-json": {
      // Answered after verification: the request also carries what verifies it.
      const token = tokenHeader();
      return route("GET", { headers: token ? [kind.header, token] : [kind.header], verified: true });
    }
    case "head-ok":
      return route("HEAD", {});
    case "module":
      return kind.method === "POST"
        ? undefined
        : route(kind.method, { query: kind.query ? [kind.query] : [], secretsBeforeVerification: true });
    default:
      return undefined;
  }
}

/**
 * Whether a handshake of the scheme hands over a value the validator stores as the provider's
 * signing secret (Asana's `X-Hook-Secret`, Notion's `verification_token`): its role then needs to
 * write that provider's secret.
 */
export function storesHandshakeSecret(scheme: Pick<WebhookScheme, "handshakes">): boolean {
  return scheme.handshakes.some((kind) => kind.kind === "echo-header" || kind.kind === "capture-token");
}
