/**
 * GitHub-flavoured Markdown pieces for pull-request comments: inline code and text that survive a
 * table cell, tables, and collapsed `<details>` blocks.
 */

/** Inline code; pipes escaped (GitHub splits table cells on them even inside code). */
export function code(text: string): string {
  const fence = text.includes("`") ? "``" : "`";
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text.replace(/\|/g, "\\|")}${pad}${fence}`;
}

/** Markdown text made safe for one table cell: pipes escaped, newlines joined. */
export function cell(markdown: string): string {
  return markdown.replaceAll("|", "\\|").replaceAll("\n", " ");
}

/** Plain text with Markdown and HTML metacharacters escaped. */
export function text(value: string): string {
  return value.replace(/[\\`*_[\]<>|~]/g, "\\$&");
}

/** Text for HTML (a `<summary>`): Markdown is not rendered there, so only HTML is escaped. */
export function html(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Several values in one table cell, one per line. */
export function lines(values: readonly string[], empty = "-"): string {
  return values.length === 0 ? empty : values.join("<br>");
}

export function mdTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => " --- ").join("|")}|`,
    ...rows.map((row) => `| ${row.map((cell) => cell.replace(/\n/g, "<br>")).join(" | ")} |`),
  ];
}

/** A collapsed block; `summary` is HTML. Blank lines around the body let GitHub render its Markdown. */
export function details(summary: string, body: readonly string[]): string[] {
  return ["<details>", `<summary>${summary}</summary>`, "", ...body, "", "</details>", ""];
}
