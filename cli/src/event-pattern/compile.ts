import { OPERATORS, parseValue } from "./operators";
import type { Branch, FieldCondition, PatternProblem, ValueTest } from "./types";

/** EventBridge's quota on the length of an event pattern (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html). */
export const MAX_PATTERN_LENGTH = 2048;

/**
 * Compiles a pattern into branches of field conditions keyed by dotted path, and lists what cannot be
 * evaluated. Nested keys are joined with `.` as EventBridge joins them, so `{"a": {"b": [1]}}` and
 * `{"a.b": [1]}` are the same field. `$or` multiplies the branches: one per alternative.
 */
export function compileBranches(pattern: unknown): { branches: Branch[]; problems: PatternProblem[] } {
  const problems: PatternProblem[] = [];
  if (!isObject(pattern)) {
    problems.push({ path: "(pattern)", message: "an event pattern is a JSON object" });
    return { branches: [], problems };
  }
  const length = JSON.stringify(pattern).length;
  if (length > MAX_PATTERN_LENGTH) {
    problems.push({
      path: "(pattern)",
      message: `${length} characters is over EventBridge's ${MAX_PATTERN_LENGTH}-character event pattern quota`,
    });
  }
  const branches = compileObject(pattern, [], [new Map()], false, problems);
  return { branches, problems };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function compileObject(
  object: Record<string, unknown>,
  prefix: readonly string[],
  branches: Array<Map<string, FieldCondition>>,
  insideOr: boolean,
  problems: PatternProblem[],
): Array<Map<string, FieldCondition>> {
  const here = prefix.join(".") || "(pattern)";
  if (Object.keys(object).length === 0) {
    problems.push({ path: here, message: "an empty object matches nothing; EventBridge refuses it" });
  }
  let current = branches;
  for (const [key, value] of Object.entries(object)) {
    if (key === "$or") {
      current = compileOr(value, prefix, current, problems);
      continue;
    }
    const path = [...prefix, key].join(".");
    if (insideOr && (OPERATORS as readonly string[]).includes(key)) {
      problems.push({ path, message: `"${key}" is an operator name: inside $or it cannot be a field name` });
    } else if (isObject(value)) {
      current = compileObject(value, [...prefix, key], current, insideOr, problems);
    } else if (Array.isArray(value)) {
      const condition = compileField(value, path, problems);
      for (const branch of current) {
        if (branch.has(path)) {
          problems.push({
            path,
            message: "the field is given twice (nested and as a dotted key); EventBridge keeps only one",
          });
        }
        branch.set(path, condition);
      }
    } else {
      problems.push({
        path,
        message: `must be an object or an array of values, got ${JSON.stringify(value)}`,
      });
    }
  }
  return current;
}

/** `"$or": [{…}, {…}, …]`: at least two non-empty objects, each a way for the rest to match. */
function compileOr(
  value: unknown,
  prefix: readonly string[],
  branches: Array<Map<string, FieldCondition>>,
  problems: PatternProblem[],
): Array<Map<string, FieldCondition>> {
  const path = [...prefix, "$or"].join(".");
  if (!Array.isArray(value) || value.length < 2 || !value.every(isObject)) {
    problems.push({ path, message: "$or takes a list of at least two objects" });
    return branches;
  }
  return value.flatMap((alternative) =>
    compileObject(
      alternative,
      prefix,
      branches.map((branch) => new Map(branch)),
      true,
      problems,
    ),
  );
}

function compileField(values: readonly unknown[], path: string, problems: PatternProblem[]): FieldCondition {
  if (values.length === 0) {
    problems.push({ path, message: "an empty list matches nothing; EventBridge refuses it" });
  }
  const tests: ValueTest[] = [];
  let absentAllowed = false;
  for (const element of values) {
    const parsed = parseValue(element);
    if (parsed === "absent") absentAllowed = true;
    else if ("problem" in parsed) problems.push({ path, message: parsed.problem });
    else tests.push(parsed.test);
  }
  return { tests, absentAllowed };
}
