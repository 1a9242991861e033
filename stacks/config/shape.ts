/**
 * A small schema table: each shape checks a JSON value (one problem per mistake, naming its path)
 * and describes itself as JSON Schema, so the runtime check and the schema editors use cannot
 * disagree. `Shape<T>` carries the TypeScript type it checks, so a table written against an
 * interface fails to compile when the two drift.
 */
import { closestKey } from "./hints";

/** One mistake: where (`providers[0].scheme`), what, and whether the value there cannot be used at all. */
export interface Problem {
  readonly path: string;
  readonly message: string;
  /** Missing or of the wrong type: checks that read it (between fields) must not run. */
  readonly unusable: boolean;
}

export class Problems {
  readonly list: Problem[] = [];

  add(path: string, message: string, unusable = false): void {
    this.list.push({ path, message, unusable });
  }

  /** Whether a value at or under one of `paths` is unusable. */
  blocks(paths: readonly string[]): boolean {
    return this.list.some(
      (problem) =>
        problem.unusable &&
        paths.some(
          (path) =>
            problem.path === path ||
            problem.path.startsWith(`${path}.`) ||
            problem.path.startsWith(`${path}[`) ||
            path.startsWith(`${problem.path}.`) ||
            problem.path === "",
        ),
    );
  }

  /** One line per problem: `path: message`. */
  lines(): string[] {
    return this.list.map(({ path, message }) => (path ? `${path}: ${message}` : message));
  }
}

export type JsonSchema = { readonly [keyword: string]: unknown };

/** The descriptions and defaults of the JSON Schema, read from the types' doc comments. */
export interface Docs {
  /** The doc of an interface or type alias. */
  type(name: string): JsonSchema;
  /** `description` and `default` of a field, from the first of `typeNames` that documents it. */
  field(typeNames: readonly string[], field: string): JsonSchema;
}

export interface Shape<T> {
  check(value: unknown, path: string, problems: Problems): void;
  jsonSchema(docs: Docs): JsonSchema;
  /** Never set: ties the shape to the TypeScript type it checks. */
  readonly type?: T;
}

/** A value as a problem line shows it: strings quoted, arrays and objects by kind. */
export function shown(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? "an empty array" : "an array";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  if (typeof value === "string")
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const because = (why: string | undefined) => (why ? ` (${why})` : "");

export function string(
  options: {
    readonly pattern?: RegExp;
    readonly minLength?: number;
    readonly maxLength?: number;
    /** What a good value is, e.g. "an AWS region name such as eu-west-1"; names the pattern otherwise. */
    readonly expected?: string;
  } = {},
): Shape<string> {
  const { pattern, minLength, maxLength } = options;
  const expected =
    options.expected ??
    (pattern
      ? `a string matching ${pattern.source}`
      : minLength
        ? "a non-empty string"
        : `a string of at most ${maxLength} characters`);
  return {
    check(value, path, problems) {
      if (typeof value !== "string")
        return problems.add(path, `expected a string, got ${shown(value)}`, true);
      const fits =
        (pattern === undefined || pattern.test(value)) &&
        (minLength === undefined || value.length >= minLength) &&
        (maxLength === undefined || value.length <= maxLength);
      if (!fits) problems.add(path, `expected ${expected}, got ${shown(value)}`);
    },
    jsonSchema: () => ({
      type: "string",
      ...(pattern && { pattern: pattern.source }),
      ...(minLength !== undefined && { minLength }),
      ...(maxLength !== undefined && { maxLength }),
    }),
  };
}

export function integer(
  options: {
    readonly minimum?: number;
    readonly maximum?: number;
    /** The only values allowed (CloudWatch's retention days). */
    readonly values?: readonly number[];
    /** Why the bounds are what they are: shown with the problem. */
    readonly why?: string;
  } = {},
): Shape<number> {
  const { minimum, maximum, values, why } = options;
  const expected = values
    ? `one of ${values.join(", ")}`
    : minimum !== undefined && maximum !== undefined
      ? `an integer in ${minimum}..${maximum}`
      : minimum !== undefined
        ? `an integer ≥ ${minimum}`
        : maximum !== undefined
          ? `an integer ≤ ${maximum}`
          : "an integer";
  return {
    check(value, path, problems) {
      if (typeof value !== "number")
        return problems.add(path, `expected an integer, got ${shown(value)}`, true);
      const fits =
        Number.isInteger(value) &&
        (minimum === undefined || value >= minimum) &&
        (maximum === undefined || value <= maximum) &&
        (values === undefined || values.includes(value));
      if (!fits) problems.add(path, `expected ${expected}${because(why)}, got ${shown(value)}`);
    },
    jsonSchema: () => ({
      type: "integer",
      ...(values && { enum: values }),
      ...(minimum !== undefined && { minimum }),
      ...(maximum !== undefined && { maximum }),
    }),
  };
}

export function boolean(): Shape<boolean> {
  return {
    check(value, path, problems) {
      if (typeof value !== "boolean") problems.add(path, `expected true or false, got ${shown(value)}`, true);
    },
    jsonSchema: () => ({ type: "boolean" }),
  };
}

/** One of a fixed list of strings. */
export function oneOf<const V extends string>(values: readonly V[]): Shape<V> {
  return {
    check(value, path, problems) {
      if (typeof value !== "string")
        return problems.add(path, `expected a string, got ${shown(value)}`, true);
      if ((values as readonly string[]).includes(value)) return;
      const closest = closestKey(value, values);
      problems.add(
        path,
        `expected one of ${values.join(", ")}, got ${shown(value)}${closest ? `; did you mean ${closest}?` : ""}`,
      );
    },
    jsonSchema: () => ({ type: "string", enum: values }),
  };
}

export function array<T>(
  item: Shape<T>,
  options: { readonly minItems?: number; readonly expected?: string } = {},
): Shape<readonly T[]> {
  return {
    check(value, path, problems) {
      if (!Array.isArray(value)) return problems.add(path, `expected an array, got ${shown(value)}`, true);
      if (options.minItems !== undefined && value.length < options.minItems)
        problems.add(
          path,
          `expected ${options.expected ?? `at least ${options.minItems} items`}, got ${shown(value)}`,
        );
      value.forEach((entry, index) => {
        item.check(entry, `${path}[${index}]`, problems);
      });
    },
    jsonSchema: (docs) => ({
      type: "array",
      items: item.jsonSchema(docs),
      ...(options.minItems !== undefined && { minItems: options.minItems }),
    }),
  };
}

/** An object of any keys (a key shape checks each key) with values of one shape: tags. */
export function record<V>(key: Shape<string>, value: Shape<V>): Shape<Readonly<Record<string, V>>> {
  return {
    check(candidate, path, problems) {
      if (!isPlainObject(candidate))
        return problems.add(path, `expected an object, got ${shown(candidate)}`, true);
      for (const [name, entry] of Object.entries(candidate)) {
        const keyProblems = new Problems();
        key.check(name, `${path}.${name}`, keyProblems);
        for (const problem of keyProblems.list) problems.add(problem.path, `invalid key; ${problem.message}`);
        value.check(entry, `${path}.${name}`, problems);
      }
    },
    jsonSchema: (docs) => ({
      type: "object",
      propertyNames: key.jsonSchema(docs),
      additionalProperties: value.jsonSchema(docs),
    }),
  };
}

/** A JSON object whose keys this table does not fix (an EventBridge pattern). */
export function openObject(options: { readonly expected: string }): Shape<Record<string, unknown>> {
  return {
    check(value, path, problems) {
      if (!isPlainObject(value))
        return problems.add(path, `expected ${options.expected}, got ${shown(value)}`, true);
      if (Object.keys(value).length === 0)
        problems.add(path, `expected ${options.expected}, got an empty object`);
    },
    jsonSchema: () => ({ type: "object", minProperties: 1 }),
  };
}

export function constant<const V extends string>(value: V): Shape<V> {
  return {
    check(candidate, path, problems) {
      if (candidate !== value) problems.add(path, `expected ${shown(value)}, got ${shown(candidate)}`, true);
    },
    jsonSchema: () => ({ const: value }),
  };
}

/** The fields of `T`, each with the shape of its (defined) value. */
export type Fields<T> = { readonly [K in keyof T]-?: Shape<Exclude<T[K], undefined>> };

export interface ObjectOptions<T> {
  /** The interfaces whose doc comments describe the fields, first match wins. */
  readonly docs: readonly string[];
  /** What the object is, for a missing field: "a provider". */
  readonly noun: string;
  readonly required?: readonly (keyof T & string)[];
  /** A hint for an unknown key more specific than the closest known key. */
  readonly unknownKeyHint?: (key: string, value: Record<string, unknown>) => string | undefined;
}

/** An object with fixed fields: any other key is a problem, with the closest known key as a hint. */
export function object<T>(fields: Fields<T>, options: ObjectOptions<T>): Shape<T> {
  const known = Object.keys(fields);
  const required = options.required ?? [];
  const entries = fields as unknown as Record<string, Shape<unknown>>;
  return {
    check(value, path, problems) {
      if (!isPlainObject(value)) return problems.add(path, `expected an object, got ${shown(value)}`, true);
      const at = (key: string) => (path ? `${path}.${key}` : key);
      for (const [key, entry] of Object.entries(value)) {
        const shape = Object.hasOwn(entries, key) ? entries[key] : undefined;
        if (shape === undefined) {
          problems.add(at(key), `unknown key; ${unknownKeyHint(key, value, known, options)}`);
        } else if (entry !== undefined) {
          shape.check(entry, at(key), problems);
        }
      }
      for (const key of required) {
        if (value[key] === undefined)
          problems.add(at(key), `missing; ${options.noun} needs ${required.join(" and ")}`, true);
      }
    },
    jsonSchema(docs) {
      const properties = Object.fromEntries(
        known.map((key) => [key, { ...entries[key]!.jsonSchema(docs), ...docs.field(options.docs, key) }]),
      );
      return {
        ...docs.type(options.docs[0]!),
        type: "object",
        properties,
        ...(required.length > 0 && { required }),
        additionalProperties: false,
      };
    },
  };
}

function unknownKeyHint<T>(
  key: string,
  value: Record<string, unknown>,
  known: readonly string[],
  options: ObjectOptions<T>,
): string {
  const specific = options.unknownKeyHint?.(key, value);
  if (specific) return specific;
  const closest = closestKey(key, known);
  return closest ? `did you mean ${closest}?` : `expected one of ${known.join(", ")}`;
}

/**
 * One of several objects told apart by a `type` field (the backend); each variant's shape checks
 * `type` as a constant and lists only its other required fields.
 */
export function tagged<T extends { readonly type: string }>(
  variants: {
    readonly [K in T["type"]]: Shape<Extract<T, { readonly type: K }>>;
  },
): Shape<T> {
  const types = Object.keys(variants);
  const byType = variants as unknown as Record<string, Shape<unknown>>;
  return {
    check(value, path, problems) {
      if (!isPlainObject(value)) return problems.add(path, `expected an object, got ${shown(value)}`, true);
      const variant =
        typeof value.type === "string" && Object.hasOwn(byType, value.type) ? value.type : undefined;
      if (variant === undefined) {
        const got = value.type === undefined ? "nothing" : shown(value.type);
        return problems.add(`${path}.type`, `expected one of ${types.join(", ")}, got ${got}`, true);
      }
      byType[variant]!.check(value, path, problems);
    },
    jsonSchema: (docs) => ({
      oneOf: types.map((type) => {
        const variant = byType[type]!.jsonSchema(docs);
        return { ...variant, required: ["type", ...((variant.required as string[] | undefined) ?? [])] };
      }),
    }),
  };
}
