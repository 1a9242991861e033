import type { PresetDefinition } from "../engine/definition";
import { ASYMMETRIC_PRESETS } from "./asymmetric";
import { CODE_PRESETS } from "./code";
import { HMAC_PRESETS } from "./hmac";
import { TOKEN_PRESETS } from "./token";

/** Every sender preset by id: the data the engine compiles (docs/signature-schemes.md lists them). */
export const PRESETS = {
  ...HMAC_PRESETS,
  ...ASYMMETRIC_PRESETS,
  ...TOKEN_PRESETS,
  ...CODE_PRESETS,
} as const satisfies Record<string, PresetDefinition>;

export type PresetId = keyof typeof PRESETS;

/** Every preset id, families in the order HMAC, asymmetric, token, code. */
export const PRESET_IDS = Object.keys(PRESETS) as PresetId[];
