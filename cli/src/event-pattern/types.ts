/** A JSON value at a leaf of an event: what EventBridge compares pattern values with. */
export type Scalar = string | number | boolean | null;

/** Whether one leaf value satisfies one value of a pattern field (`"x"`, `{"prefix": "x"}`, …). */
export type ValueTest = (value: Scalar) => boolean;

/** Something in a pattern this matcher cannot evaluate, or that EventBridge itself rejects. */
export interface PatternProblem {
  /** Dotted field path (`detail.state`), `$or` where the problem is the `$or` itself, `(pattern)` for the whole. */
  readonly path: string;
  readonly message: string;
}

/** One field of a pattern: the event matches it when a leaf at its path passes any test. */
export interface FieldCondition {
  readonly tests: readonly ValueTest[];
  /** `{"exists": false}` is among the values: the field may instead be absent from the event. */
  readonly absentAllowed: boolean;
}

/** Fields that must all match (the pattern's AND); a pattern with `$or` has several branches. */
export type Branch = ReadonlyMap<string, FieldCondition>;
