import { EVENT_SOURCE_PREFIX } from "@webhooks/shared";
import type { RouteConfig } from "../stacks/config";

/**
 * What a route without `source` matches: every platform source (`webhooks.<provider>`), as one
 * prefix rather than a list, so the pattern stays the same size however many providers there are
 * (EventBridge caps a pattern at 2,048 characters; a list of 150 sources is over 3,000).
 */
export const EVERY_PLATFORM_SOURCE = { prefix: `${EVENT_SOURCE_PREFIX}.` } as const;

/** Sources named in a problem before the rest are counted. */
const SOURCES_SHOWN = 10;

/**
 * The route's event pattern with `source` defaulted to {@link EVERY_PLATFORM_SOURCE}. A route
 * naming its own `source` may use EventBridge operators (`{"prefix": ...}`), but a plain string
 * must be a platform source: anything else would never match on this bus, which is a
 * configuration mistake.
 *
 * @example routePattern({ id: "all-stripe", eventPattern: { "detail-type": ["charge.succeeded"] } }, ["webhooks.stripe"])
 */
export function routePattern(route: RouteConfig, sources: readonly string[]): Record<string, unknown> {
  const problems = routeSourceProblems(route.eventPattern, sources);
  if (problems.length > 0) throw new Error(`route ${route.id}: eventPattern.source ${problems.join("; ")}`);
  const { source, ...rest } = route.eventPattern;
  return { source: source ?? [EVERY_PLATFORM_SOURCE], ...rest };
}

/**
 * What is wrong with an event pattern's `source` on this bus, one phrase each (none when it is
 * absent or every plain string in it is one of `sources`); configuration validation reports them
 * with the rest of the file's problems.
 */
export function routeSourceProblems(pattern: Record<string, unknown>, sources: readonly string[]): string[] {
  const { source } = pattern;
  if (source === undefined) return [];
  if (!Array.isArray(source) || source.length === 0) return ["must be a non-empty array"];
  const unknown = source.filter((entry) => typeof entry === "string" && !sources.includes(entry));
  if (unknown.length === 0) return [];
  const shown = sources.slice(0, SOURCES_SHOWN).join(", ");
  const more = sources.length > SOURCES_SHOWN ? ` and ${sources.length - SOURCES_SHOWN} more` : "";
  return [`names ${unknown.join(", ")}, not a platform source (one per provider: ${shown}${more})`];
}
