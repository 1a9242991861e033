/**
 * EventBridge event patterns evaluated locally, as the bus evaluates them: exact values, prefix,
 * suffix, equals-ignore-case, wildcard, anything-but, numeric, exists, cidr and `$or`
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html).
 * Pure: no AWS calls, so a local server and the CLI can both use it.
 */
import { compileBranches } from "./compile";
import { branchMatches, leavesOf } from "./match";
import type { PatternProblem } from "./types";

export type { PatternProblem } from "./types";

/** A pattern ready to test events with. */
export interface CompiledPattern {
  /** Whether EventBridge would deliver `event` (a parsed event: source, detail-type, detail, …) to a rule with this pattern. */
  matches(event: unknown): boolean;
}

/** A pattern with parts this matcher cannot evaluate, each named in `problems` and the message. */
export class UnsupportedPatternError extends Error {
  override readonly name = "UnsupportedPatternError";

  constructor(readonly problems: readonly PatternProblem[]) {
    super(`the event pattern cannot be evaluated: ${problems.map(describeProblem).join("; ")}`);
  }
}

/** `detail.state: exists takes true or false` */
export function describeProblem(problem: PatternProblem): string {
  return `${problem.path}: ${problem.message}`;
}

/**
 * What in a pattern this matcher cannot evaluate: parts EventBridge rejects, and the few it accepts
 * whose result is not documented. Empty when the whole pattern is understood.
 *
 * @example patternProblems({ detail: { amount: [{ numeric: [">", 10, "<", 5] }] } })
 * // [{ path: "detail.amount", message: "numeric: the lower bound 10 must be below the upper bound 5" }]
 */
export function patternProblems(pattern: unknown): PatternProblem[] {
  return compileBranches(pattern).problems;
}

/**
 * Compiles a pattern (the parsed JSON of a rule's EventPattern) or throws
 * {@link UnsupportedPatternError} naming every part it cannot evaluate: never a silent mismatch.
 *
 * @example compilePattern({ source: ["webhooks.stripe"] }).matches({ source: "webhooks.stripe" }) // true
 */
export function compilePattern(pattern: unknown): CompiledPattern {
  const { branches, problems } = compileBranches(pattern);
  if (problems.length > 0) throw new UnsupportedPatternError(problems);
  return {
    matches(event) {
      const leaves = leavesOf(event);
      return branches.some((branch) => branchMatches(branch, leaves));
    },
  };
}
