import { cidrContains, parseCidr, parseIp } from "./ip";
import type { Scalar, ValueTest } from "./types";
import { parseWildcard, wildcardMatches } from "./wildcard";

/**
 * What one value of a pattern field means: a test a leaf must pass, `absent` for
 * `{"exists": false}`, or why it cannot be evaluated (EventBridge rejects it, or this matcher does
 * not support it).
 */
export type ParsedValue = { readonly test: ValueTest } | "absent" | { readonly problem: string };

/** The operators EventBridge documents for event buses; inside `$or` they cannot be field names. */
export const OPERATORS = [
  "prefix",
  "suffix",
  "equals-ignore-case",
  "wildcard",
  "anything-but",
  "numeric",
  "exists",
  "cidr",
] as const;

/** What `anything-but` can negate besides values. */
const ANYTHING_BUT_OPERATORS = ["prefix", "suffix", "equals-ignore-case", "wildcard"] as const;
type AnythingButOperator = (typeof ANYTHING_BUT_OPERATORS)[number];

/**
 * EventBridge documents numeric matching for -5.0e9..5.0e9 with six digits after the decimal point;
 * outside that its answer is not documented, so such bounds are refused rather than guessed.
 */
const NUMERIC_LIMIT = 5e9;
const NUMERIC_DECIMALS = 6;

const COMPARE = {
  "=": (value: number, bound: number) => value === bound,
  "<": (value: number, bound: number) => value < bound,
  "<=": (value: number, bound: number) => value <= bound,
  ">": (value: number, bound: number) => value > bound,
  ">=": (value: number, bound: number) => value >= bound,
} as const;
type Comparison = keyof typeof COMPARE;

/**
 * Parses one element of a field's value array: a string, number, boolean or null (equality) or an
 * object with exactly one operator.
 *
 * @example parseValue({ prefix: "payment_intent." })
 */
export function parseValue(element: unknown): ParsedValue {
  if (element === null || ["string", "number", "boolean"].includes(typeof element)) {
    return { test: equalTo(element as Scalar) };
  }
  if (typeof element !== "object" || Array.isArray(element)) {
    return { problem: "a value must be a string, number, true, false, null or an {operator: …} object" };
  }
  const entries = Object.entries(element);
  if (entries.length !== 1) {
    return { problem: `an operator object has exactly one key, got ${JSON.stringify(element)}` };
  }
  const [operator, argument] = entries[0]!;
  switch (operator) {
    case "prefix":
    case "suffix":
      return affix(operator, argument);
    case "equals-ignore-case":
      return typeof argument === "string"
        ? { test: (value) => typeof value === "string" && fold(value) === fold(argument) }
        : { problem: "equals-ignore-case takes a string" };
    case "wildcard":
      return wildcard(argument);
    case "anything-but":
      return anythingBut(argument);
    case "numeric":
      return numeric(argument);
    case "exists":
      if (argument === true) return { test: () => true };
      if (argument === false) return "absent";
      return { problem: "exists takes true or false" };
    case "cidr":
      return cidr(argument);
    default:
      return { problem: `unknown operator "${operator}" (EventBridge has ${OPERATORS.join(", ")} and $or)` };
  }
}

/**
 * Equality with a literal. Numbers compare as numbers (300 matches 300.0); a string that is an IP
 * address also matches the same address written another way, as EventBridge compares addresses.
 */
function equalTo(expected: Scalar): ValueTest {
  const address = typeof expected === "string" ? parseIp(expected) : undefined;
  if (!address) return (value) => value === expected;
  return (value) => {
    if (value === expected) return true;
    const other = typeof value === "string" ? parseIp(value) : undefined;
    return other?.family === address.family && other.value === address.value;
  };
}

/** Case folding of equals-ignore-case and the ignore-case forms of prefix and suffix. */
function fold(text: string): string {
  return text.toLowerCase();
}

function startsOrEnds(operator: "prefix" | "suffix", value: string, affixText: string): boolean {
  return operator === "prefix" ? value.startsWith(affixText) : value.endsWith(affixText);
}

/** `{"prefix": "x"}`, `{"prefix": {"equals-ignore-case": "x"}}`, and the same for suffix. */
function affix(operator: "prefix" | "suffix", argument: unknown): ParsedValue {
  if (typeof argument === "string") {
    return { test: (value) => typeof value === "string" && startsOrEnds(operator, value, argument) };
  }
  const ignoreCase = (argument ?? {}) as Record<string, unknown>;
  const keys = typeof argument === "object" && argument !== null ? Object.keys(argument) : [];
  if (keys.length === 1 && keys[0] === "equals-ignore-case" && typeof ignoreCase[keys[0]] === "string") {
    const folded = fold(ignoreCase[keys[0]] as string);
    return { test: (value) => typeof value === "string" && startsOrEnds(operator, fold(value), folded) };
  }
  return { problem: `${operator} takes a string or {"equals-ignore-case": "<string>"}` };
}

function wildcard(argument: unknown): ParsedValue {
  if (typeof argument !== "string") return { problem: "wildcard takes a string" };
  const parsed = parseWildcard(argument);
  if ("problem" in parsed) return { problem: `wildcard: ${parsed.problem}` };
  return { test: (value) => typeof value === "string" && wildcardMatches(parsed.segments, value) };
}

function cidr(argument: unknown): ParsedValue {
  if (typeof argument !== "string") return { problem: "cidr takes a string such as 10.0.0.0/24" };
  const block = parseCidr(argument);
  if ("problem" in block) return { problem: `cidr: ${block.problem}` };
  return {
    test: (value) => {
      const address = typeof value === "string" ? parseIp(value) : undefined;
      return address !== undefined && cidrContains(block, address);
    },
  };
}

/**
 * `anything-but`: a string, a number, a list of only strings or only numbers, or one of prefix,
 * suffix, equals-ignore-case and wildcard with a string or a list of strings. It matches any value
 * that is present (null and other types included) and not excluded; a missing field never matches.
 */
function anythingBut(argument: unknown): ParsedValue {
  if (typeof argument === "string" || typeof argument === "number") {
    return { test: (value) => value !== argument };
  }
  if (Array.isArray(argument)) {
    const strings = argument.every((item) => typeof item === "string");
    const numbers = argument.every((item) => typeof item === "number");
    if (argument.length === 0 || (!strings && !numbers)) {
      return { problem: "anything-but takes a non-empty list of only strings or only numbers" };
    }
    const excluded = new Set<Scalar>(argument);
    return { test: (value) => !excluded.has(value) };
  }
  if (typeof argument !== "object" || argument === null) {
    return { problem: "anything-but takes a string, a number, a list of them, or an operator object" };
  }
  const entries = Object.entries(argument);
  if (entries.length !== 1) {
    return { problem: `anything-but takes one operator, got ${JSON.stringify(argument)}` };
  }
  const [operator, operand] = entries[0]!;
  if (!(ANYTHING_BUT_OPERATORS as readonly string[]).includes(operator)) {
    return {
      problem: `anything-but does not take "${operator}" (it takes ${ANYTHING_BUT_OPERATORS.join(", ")})`,
    };
  }
  const texts = typeof operand === "string" ? [operand] : operand;
  if (!Array.isArray(texts) || texts.length === 0 || !texts.every((text) => typeof text === "string")) {
    return { problem: `anything-but ${operator} takes a string or a non-empty list of strings` };
  }
  const excludedBy = anythingButOperand(operator as AnythingButOperator, texts as string[]);
  if ("problem" in excludedBy) return excludedBy;
  return { test: (value) => !(typeof value === "string" && excludedBy.excludes(value)) };
}

function anythingButOperand(
  operator: AnythingButOperator,
  texts: readonly string[],
): { excludes(value: string): boolean } | { problem: string } {
  switch (operator) {
    case "prefix":
    case "suffix":
      if (texts.includes("")) return { problem: `anything-but ${operator} must not be empty` };
      return { excludes: (value) => texts.some((text) => startsOrEnds(operator, value, text)) };
    case "equals-ignore-case": {
      const folded = new Set(texts.map(fold));
      return { excludes: (value) => folded.has(fold(value)) };
    }
    case "wildcard": {
      const globs: string[][] = [];
      for (const text of texts) {
        const parsed = parseWildcard(text);
        if ("problem" in parsed) return { problem: `anything-but wildcard: ${parsed.problem}` };
        globs.push(parsed.segments);
      }
      return { excludes: (value) => globs.some((segments) => wildcardMatches(segments, value)) };
    }
  }
}

const RANGE_SHAPE = 'numeric takes [op, number] or a range [">"|">=", low, "<"|"<=", high]';

/** `{"numeric": ["<", 10]}` or `{"numeric": [">", 0, "<=", 5]}`; only JSON numbers match. */
function numeric(argument: unknown): ParsedValue {
  if (!Array.isArray(argument) || (argument.length !== 2 && argument.length !== 4)) {
    return { problem: RANGE_SHAPE };
  }
  const comparisons: Array<[Comparison, number]> = [];
  for (let index = 0; index < argument.length; index += 2) {
    const [operator, bound] = [argument[index], argument[index + 1]];
    if (typeof operator !== "string" || !(operator in COMPARE)) {
      return { problem: `numeric: unknown operator ${JSON.stringify(operator)} (=, <, <=, >, >=)` };
    }
    if (typeof bound !== "number") return { problem: `numeric: ${operator} needs a number` };
    const outside = documentedRangeProblem(bound);
    if (outside) return { problem: outside };
    comparisons.push([operator as Comparison, bound]);
  }
  if (comparisons.length === 2) {
    const [[low, bottom], [high, top]] = comparisons as [[Comparison, number], [Comparison, number]];
    if (!(low === ">" || low === ">=") || !(high === "<" || high === "<=")) return { problem: RANGE_SHAPE };
    if (bottom >= top)
      return { problem: `numeric: the lower bound ${bottom} must be below the upper bound ${top}` };
  }
  return {
    test: (value) =>
      typeof value === "number" && comparisons.every(([operator, bound]) => COMPARE[operator](value, bound)),
  };
}

function documentedRangeProblem(bound: number): string | undefined {
  if (Math.abs(bound) > NUMERIC_LIMIT || decimalPlaces(bound) > NUMERIC_DECIMALS) {
    return `numeric: ${bound} is outside what EventBridge documents for numeric matching (-5.0e9..5.0e9, at most ${NUMERIC_DECIMALS} decimal places); not supported here`;
  }
  return undefined;
}

/** Digits after the decimal point in the number's shortest form (1e-7 → 7, 3.018e2 → 1). */
function decimalPlaces(value: number): number {
  const [digits, exponent] = String(value).split("e");
  const fraction = digits!.split(".")[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent ?? 0));
}
