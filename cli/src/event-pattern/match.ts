import type { Branch, Scalar } from "./types";

/** A leaf of an event and where it sits in arrays: [array, element index] for each, outermost first. */
interface Leaf {
  readonly value: Scalar;
  readonly positions: ReadonlyArray<readonly [number, number]>;
}

/**
 * The event's leaves (strings, numbers, booleans, null) by dotted path. Arrays are transparent (each
 * element is a value of the same path) and empty arrays and objects leave nothing, so `exists`
 * sees only leaves, as EventBridge does. Each array gets an id so matches can stay within one element.
 */
export function leavesOf(event: unknown): Map<string, Leaf[]> {
  const leaves = new Map<string, Leaf[]>();
  let arrays = 0;
  const visit = (node: unknown, path: string, positions: Leaf["positions"]): void => {
    if (Array.isArray(node)) {
      const id = arrays++;
      for (const [index, element] of node.entries()) visit(element, path, [...positions, [id, index]]);
    } else if (typeof node === "object" && node !== null) {
      for (const [key, child] of Object.entries(node)) visit(child, path ? `${path}.${key}` : key, positions);
    } else if (path !== "") {
      const found = leaves.get(path) ?? [];
      found.push({ value: node as Scalar, positions });
      leaves.set(path, found);
    }
  };
  if (typeof event === "object" && event !== null && !Array.isArray(event)) visit(event, "", []);
  return leaves;
}

/**
 * Whether the event's leaves satisfy every field of a branch. A field is satisfied by a leaf that
 * passes one of its tests, or by absence when `{"exists": false}` allows it (absent anywhere in the
 * event). The leaves chosen for different fields must not come from different elements of one array
 * (array-consistent matching, https://github.com/aws/event-ruler#json-array-matching): the search
 * tries combinations until one is consistent.
 */
export function branchMatches(branch: Branch, leaves: ReadonlyMap<string, readonly Leaf[]>): boolean {
  const required: Leaf[][] = [];
  for (const [path, condition] of branch) {
    const present = leaves.get(path) ?? [];
    if (present.length === 0 && condition.absentAllowed) continue;
    const candidates = present.filter((leaf) => condition.tests.some((test) => test(leaf.value)));
    if (candidates.length === 0) return false;
    required.push(candidates);
  }
  required.sort((a, b) => a.length - b.length);
  return consistentChoice(required, 0, new Map());
}

function consistentChoice(required: readonly Leaf[][], index: number, chosen: Map<number, number>): boolean {
  if (index === required.length) return true;
  for (const leaf of required[index]!) {
    if (leaf.positions.some(([array, element]) => (chosen.get(array) ?? element) !== element)) continue;
    const added = leaf.positions.filter(([array]) => !chosen.has(array));
    for (const [array, element] of added) chosen.set(array, element);
    if (consistentChoice(required, index + 1, chosen)) return true;
    for (const [array] of added) chosen.delete(array);
  }
  return false;
}
