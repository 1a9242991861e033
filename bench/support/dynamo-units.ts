import type { AttributeValue } from "@aws-sdk/client-dynamodb";

type Item = Record<string, AttributeValue>;

export interface IndexShape {
  readonly name: string;
  readonly partitionKey: string;
  /** Absent for an index with a partition key only. */
  readonly sortKey?: string;
  /**
   * KEYS_ONLY indexes are written only when one of their keys appears, changes or disappears;
   * ALL and INCLUDE ones also whenever the item changes while it is in the index.
   */
  readonly projection: "KEYS_ONLY" | "ALL" | "INCLUDE";
}

/** Bytes of one attribute value as DynamoDB sizes it (names and values in UTF-8, numbers ~1 byte per 2 digits). */
function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\.|^0+/g, "").length / 2) + 1;
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.L !== undefined) return 3 + value.L.reduce((sum, item) => sum + 1 + valueBytes(item), 0);
  if (value.M !== undefined) return 3 + itemBytes(value.M) + Object.keys(value.M).length;
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + n.length, 0);
  return 0;
}

/** An item's size: the sum of its attribute names and values. */
export function itemBytes(item: Item | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value),
    0,
  );
}

export interface WriteUnits {
  readonly table: number;
  /** Write units per index this write touched. */
  readonly indexes: Readonly<Record<string, number>>;
  readonly total: number;
}

/**
 * The write units one successful write consumes, from the item before and after it, by DynamoDB's
 * documented rules: the table charges the larger image per KB; an index charges one write (per KB
 * of its entry) when its key appears or disappears and two (delete + put) when it changes; a
 * KEYS_ONLY index is not written when its keys are untouched, an ALL or INCLUDE index is written
 * again whenever the item changes.
 */
export function writeUnits(
  before: Item | undefined,
  after: Item | undefined,
  indexes: readonly IndexShape[],
): WriteUnits {
  const kb = (item: Item | undefined) => Math.max(1, Math.ceil(itemBytes(item) / 1024));
  const table = Math.max(1, Math.ceil(Math.max(itemBytes(before), itemBytes(after)) / 1024));
  const byIndex: Record<string, number> = {};
  for (const index of indexes) {
    const key = (item: Item | undefined) =>
      item?.[index.partitionKey] && (index.sortKey === undefined || item[index.sortKey])
        ? JSON.stringify([item[index.partitionKey], index.sortKey && item[index.sortKey]])
        : undefined;
    const [was, is] = [key(before), key(after)];
    const entry = (item: Item | undefined) => (index.projection === "KEYS_ONLY" ? 1 : kb(item));
    let units = 0;
    if (was !== is) units = (was ? entry(before) : 0) + (is ? entry(after) : 0);
    else if (is && index.projection !== "KEYS_ONLY" && JSON.stringify(before) !== JSON.stringify(after))
      units = entry(after);
    if (units > 0) byIndex[index.name] = units;
  }
  const total = table + Object.values(byIndex).reduce((sum, units) => sum + units, 0);
  return { table, indexes: byIndex, total };
}
