/**
 * Two versions of a list matched by a key (a name), as a diff walks them: `added` or `both` for
 * each new item in order, then `removed` for each old item without a match.
 *
 * @example pair(oldRoutes, newRoutes, (r) => `${r.method} ${r.path}`, { added, removed, both })
 */
export function pair<T>(
  before: readonly T[],
  after: readonly T[],
  key: (item: T) => string,
  on: { added(item: T): void; removed(item: T): void; both(old: T, now: T): void },
): void {
  const old = new Map(before.map((item) => [key(item), item]));
  const now = new Map(after.map((item) => [key(item), item]));
  for (const [name, item] of now) {
    const previous = old.get(name);
    if (previous === undefined) on.added(item);
    else on.both(previous, item);
  }
  for (const [name, item] of old) if (!now.has(name)) on.removed(item);
}
