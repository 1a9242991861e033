/**
 * K5: the signed content as a template. `{body}`, `{timestamp}` (as sent), `{method}`, `{url}`
 * (the configured public URL), `{header:Name}` and `{json:path}`; everything else is literal.
 */
export type TemplatePart =
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "body" }
  | { readonly kind: "timestamp" }
  | { readonly kind: "method" }
  | { readonly kind: "url" }
  | { readonly kind: "header"; readonly name: string }
  | { readonly kind: "json"; readonly path: string };

const PLACEHOLDER = /\{([^{}:]*)(?::([^{}]*))?\}/g;
const SIMPLE = new Set(["body", "timestamp", "method", "url"]);

/**
 * The parts of a template, or why it is not one.
 *
 * @example parseTemplate("v0:{timestamp}:{body}") // [literal "v0:", timestamp, literal ":", body]
 */
export function parseTemplate(template: string): TemplatePart[] | string {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push({ kind: "literal", text: template.slice(last, match.index) });
    const [whole, name, argument] = match as unknown as [string, string, string | undefined];
    if (SIMPLE.has(name) && argument === undefined) {
      parts.push({ kind: name } as TemplatePart);
    } else if (name === "header" && argument !== undefined && /^[A-Za-z0-9-]+$/.test(argument)) {
      parts.push({ kind: "header", name: argument });
    } else if (name === "json" && argument !== undefined && /^[^.\s]+(\.[^.\s]+)*$/.test(argument)) {
      parts.push({ kind: "json", path: argument });
    } else {
      return `${whole} is not a placeholder ({body}, {timestamp}, {method}, {url}, {header:Name}, {json:path})`;
    }
    last = match.index + whole.length;
  }
  if (last < template.length) parts.push({ kind: "literal", text: template.slice(last) });
  if (parts.some((part) => part.kind === "literal" && /[{}]/.test(part.text)))
    return `${template} has an unmatched { or }`;
  if (parts.length === 0) return "the template is empty";
  return parts;
}

/** Whether a template reads a placeholder kind. */
export function uses(parts: readonly TemplatePart[], kind: TemplatePart["kind"]): boolean {
  return parts.some((part) => part.kind === kind);
}
