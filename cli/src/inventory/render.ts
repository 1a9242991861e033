import { renderCompact } from "./render-compact";
import { renderFull } from "./render-full";
import { renderMarkdown } from "./render-markdown";
import type { Inventory } from "./types";

export { SECTION_TITLES } from "./render-common";

/**
 * `text`: compact, every line at most `width` columns (to read in a terminal); `full`: every
 * address and statement in aligned columns, however wide; `markdown`: GitHub-flavoured, for a pull
 * request comment; `json`: the {@link Inventory} object itself.
 */
export const INVENTORY_FORMATS = ["text", "full", "markdown", "json"] as const;
export type InventoryFormat = (typeof INVENTORY_FORMATS)[number];

/** Columns of the compact text when neither the caller nor a terminal says otherwise. */
export const DEFAULT_WIDTH = 100;

/**
 * The width of the text view for an output of `columns`: a terminal's (at least 60), else
 * {@link DEFAULT_WIDTH}. A terminal's stream exposes `columns` (Node's tty.WriteStream does),
 * anything else has none.
 */
export function terminalWidth(columns: number | undefined): number {
  return columns !== undefined && columns > 0 ? Math.max(60, columns) : DEFAULT_WIDTH;
}

/**
 * Renders an inventory in one of the {@link INVENTORY_FORMATS}; `width` applies to `text`.
 *
 * @example renderInventory(buildInventory(JSON.parse(readFileSync(path, "utf8"))), "text", { width: 80 })
 */
export function renderInventory(
  inventory: Inventory,
  format: InventoryFormat,
  options: { readonly width?: number } = {},
): string {
  switch (format) {
    case "text":
      return renderCompact(inventory, options.width ?? DEFAULT_WIDTH);
    case "full":
      return renderFull(inventory);
    case "markdown":
      return renderMarkdown(inventory);
    case "json":
      return `${JSON.stringify(inventory, null, 2)}\n`;
    default:
      throw new Error(`renderInventory: unknown format ${String(format)} (${INVENTORY_FORMATS.join(", ")})`);
  }
}
