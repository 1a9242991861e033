/**
 * Aligned text columns. A cell may hold several lines (a list of actions, one per line); the row is
 * as tall as its tallest cell. The last column is not padded, so lines carry no trailing spaces.
 *
 * @example table([["ADDRESS", "NAME"], ["aws_sqs_queue.q", "whk-dev-ingest"]], "  ")
 */
export type Cell = string | readonly string[];

export function table(rows: ReadonlyArray<readonly Cell[]>, indent = "", gap = "  "): string[] {
  return tableRows(rows, indent, gap).flat();
}

/** {@link table}, its lines grouped by row: to put headings between rows that share one alignment. */
export function tableRows(rows: ReadonlyArray<readonly Cell[]>, indent = "", gap = "  "): string[][] {
  const split = rows.map((row) =>
    row.map((cell) => (typeof cell === "string" ? cell.split("\n") : [...cell])),
  );
  const columns = Math.max(0, ...split.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(0, ...split.flatMap((row) => (row[column] ?? []).map((line) => line.length))),
  );
  return split.map((row) => {
    const height = Math.max(1, ...row.map((cell) => cell.length));
    return Array.from({ length: height }, (_, line) => {
      const text = row
        .map((cell, column) => {
          const value = cell[line] ?? "";
          return column === row.length - 1 ? value : value.padEnd(widths[column]!);
        })
        .join(gap)
        .trimEnd();
      return `${indent}${text}`;
    });
  });
}
