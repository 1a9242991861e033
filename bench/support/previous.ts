import { readFileSync } from "node:fs";
import { join } from "node:path";

/** bench/previous.json: the figures the bench prints beside the current ones ("was …"). */
export interface Previous {
  readonly measured: { readonly commit: string; readonly date: string };
  readonly writeUnits: {
    readonly perWebhook: number;
    readonly byStep: Readonly<Record<string, number>>;
    readonly indexWrites: number;
    readonly readUnits: number;
    readonly itemBytes: number;
  };
  readonly logBytesPerWebhook: Readonly<Record<string, number>>;
  readonly xray: { readonly tracesPerMillion: number; readonly usdPerMillion: number };
  readonly costPerMillion: {
    readonly total: number;
    readonly byService: Readonly<Record<string, number>>;
    readonly monthly: number;
  };
  /** Module init by function purpose (`validator`, `router`, `audit`). */
  readonly initMs: Readonly<Record<string, number>>;
}

export const PREVIOUS_PATH = join(__dirname, "..", "previous.json");

export function loadPrevious(path = PREVIOUS_PATH): Previous {
  return JSON.parse(readFileSync(path, "utf8")) as Previous;
}

/** ` (was 6)`, or "" when there is no previous figure for it. */
export function was(value: number | string | undefined, unit = ""): string {
  return value === undefined ? "" : ` (was ${value}${unit})`;
}
