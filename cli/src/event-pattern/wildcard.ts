/**
 * A `wildcard` value: `*` stands for any run of characters (none included); `\*` is a literal `*`
 * and `\\` a literal backslash. EventBridge refuses consecutive `*` and a backslash before anything
 * else. Returns the literal segments between the wildcards, or why the value is refused.
 *
 * @example parseWildcard("dir/*.png") // { segments: ["dir/", ".png"] }
 */
export function parseWildcard(text: string): { segments: string[] } | { problem: string } {
  const segments = [""];
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (char === "\\") {
      const next = text[index + 1];
      if (next !== "*" && next !== "\\") {
        return { problem: `a backslash escapes only * and \\ (position ${index + 1} of "${text}")` };
      }
      segments[segments.length - 1] += next;
      index++;
    } else if (char === "*") {
      if (text[index + 1] === "*") {
        return {
          problem: `consecutive wildcard characters are not allowed (position ${index + 1} of "${text}")`,
        };
      }
      segments.push("");
    } else {
      segments[segments.length - 1] += char;
    }
  }
  return { segments };
}

/**
 * Whether `value` matches the segments of a parsed wildcard. The first and last segments anchor the
 * ends; the ones between are found left to right, each as early as possible, which is enough when
 * `*` is the only wildcard (no backtracking needed).
 */
export function wildcardMatches(segments: readonly string[], value: string): boolean {
  if (segments.length === 1) return value === segments[0];
  const first = segments[0]!;
  const last = segments[segments.length - 1]!;
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) {
    return false;
  }
  const end = value.length - last.length;
  let position = first.length;
  for (const segment of segments.slice(1, -1)) {
    const found = value.indexOf(segment, position);
    if (found === -1 || found + segment.length > end) return false;
    position = found + segment.length;
  }
  return true;
}
