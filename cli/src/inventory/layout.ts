import { type Cell, tableRows } from "./table";

/**
 * Text fitted to a width without losing what it says: wrapped at spaces, and where something must
 * be cut (a name in a narrow column, an ARN longer than a line) the cut is marked with "…".
 */

/** Where a long word is best cut: after one of these. */
const SEPARATORS = /[/:._\-,=>)]/;

/**
 * The text in at most `width` columns: unchanged when it fits, else its start and end around a "…"
 * (a type's prefix and a hash or name suffix both survive).
 *
 * @example elide("aws_s3_bucket_server_side_encryption_configuration", 24) // "aws_s3_bucke…nfiguration"
 */
export function elide(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width < 2) return "…";
  const keep = width - 1;
  const head = Math.ceil(keep / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`;
}

/**
 * The text wrapped at white space (newlines and tabs too): the first line at most `width` columns,
 * the others `restWidth`. A word longer than a line is cut, preferably after a separator, and each
 * cut is marked: the piece ends with "…" and its continuation starts with one.
 *
 * @example wrap("s3:GetObject, s3:PutObject on bucket/payloads/*", 30)
 * // ["s3:GetObject, s3:PutObject on", "bucket/payloads/*"]
 */
export function wrap(text: string, width: number, restWidth = width): string[] {
  return pack(text.split(/\s+/), " ", width, restWidth);
}

/**
 * Items joined by `separator`, broken into lines only between items (a line ends with the
 * separator's visible part, e.g. ","); an item longer than a line is wrapped at its own spaces,
 * and cut with "…" marks where it has none. Widths as in {@link wrap}.
 *
 * @example pack(["154 resources", "5 IAM roles", "0 warnings"], " · ", 30)
 * // ["154 resources · 5 IAM roles ·", "0 warnings"]
 */
export function pack(
  items: readonly string[],
  separator: string,
  width: number,
  restWidth = width,
): string[] {
  const visible = separator.trimEnd();
  const glue = separator.slice(visible.length);
  const queue = items
    .filter((item) => item !== "")
    .map((item, index, all) => (index < all.length - 1 ? `${item}${visible}` : item));
  const lines: string[] = [];
  let line = "";
  const limit = (): number => (lines.length === 0 ? width : restWidth);
  while (queue.length > 0) {
    const token = queue.shift()!;
    const joined = line === "" ? token : `${line}${glue}${token}`;
    if (joined.length <= limit()) {
      line = joined;
      continue;
    }
    if (line !== "") {
      lines.push(line);
      line = "";
    }
    if (token.length <= limit()) line = token;
    else if (token.includes(" ")) queue.unshift(...token.split(" ").filter((word) => word !== ""));
    else {
      let rest = token;
      let mark = "";
      while (mark.length + rest.length > limit()) {
        const at = cutPoint(rest, Math.max(1, limit() - 1 - mark.length));
        lines.push(`${mark}${rest.slice(0, at)}…`);
        rest = rest.slice(at);
        mark = "…";
      }
      line = `${mark}${rest}`;
    }
  }
  lines.push(line);
  return lines;
}

/** How much of `word` goes on a line with `room` columns: up to the last separator in its second half. */
function cutPoint(word: string, room: number): number {
  for (let index = room; index > room / 2; index--) {
    if (SEPARATORS.test(word[index - 1]!)) return index;
  }
  return room;
}

/**
 * A line that starts with `head` and continues with `text`, wrapped to `width`; continuation lines
 * are indented by `hang` spaces.
 *
 * @example hanging("    allow ", "logs:CreateLogStream, logs:PutLogEvents on …", 60, 10)
 */
export function hanging(head: string, text: string, width: number, hang: number): string[] {
  const [first, ...rest] = wrap(text, width - head.length, width - hang);
  return [`${head}${first}`.trimEnd(), ...rest.map((line) => `${" ".repeat(hang)}${line}`)];
}

export interface ColumnFit {
  /** What a cell wider than its column becomes: wrapped onto more lines, or elided to one. */
  readonly overflow: "wrap" | "elide";
  /** The column is never wider than this, even when the table has room. */
  readonly max?: number;
  /** The column gives up no room below this (an id column that must stay whole). */
  readonly min?: number;
}

/**
 * {@link tableRows} fitted to `width`: the widest columns give up room first until the table fits,
 * then cells are wrapped or elided to their column. Lines come grouped by row; the first row is the
 * header.
 */
export function fitTable(
  rows: ReadonlyArray<readonly Cell[]>,
  width: number,
  indent: string,
  columns: readonly ColumnFit[],
  gap = "  ",
): string[][] {
  const split = rows.map((row) =>
    row.map((cell) => (typeof cell === "string" ? cell.split("\n") : [...cell])),
  );
  const widths = columns.map((column, index) =>
    Math.min(
      column.max ?? Number.POSITIVE_INFINITY,
      Math.max(1, ...split.flatMap((row) => (row[index] ?? []).map((line) => line.length))),
    ),
  );
  const available = width - indent.length - gap.length * (columns.length - 1);
  const floors = columns.map((column) => Math.max(6, column.min ?? 0));
  for (let total = sum(widths); total > available; total--) {
    const shrinkable = widths.map((columnWidth, index) => (columnWidth > floors[index]! ? columnWidth : -1));
    const widest = shrinkable.indexOf(Math.max(...shrinkable));
    if (shrinkable[widest]! < 0) break;
    widths[widest]!--;
  }
  const fitted = split.map((row) =>
    row.map((lines, index) =>
      lines.flatMap((line) =>
        columns[index]?.overflow === "wrap" ? wrap(line, widths[index]!) : [elide(line, widths[index]!)],
      ),
    ),
  );
  return tableRows(fitted, indent, gap);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
