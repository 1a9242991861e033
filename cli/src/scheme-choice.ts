import {
  CUSTOM_PREFIX,
  type CustomSchemeDefinition,
  customSignsUrl,
  type HeaderFamily,
  isPresetId,
  PRESET_IDS,
  PRESETS,
  type PresetDefinition,
  type ProviderRuntimeConfig,
  presetSignsUrl,
  type SchemeOptions,
  schemeFor,
  type WebhookScheme,
} from "@webhooks/shared";
import { customPreset } from "../../functions/shared/schemes/custom";
import { closestKey } from "../../stacks/config/hints";
import { choiceOption } from "./args";
import { type Io, UsageError } from "./command";
import { loadConfiguration, loadStack, providerOf, STACK_OPTIONS } from "./stack";

/** Options of sign, verify and send that pick the scheme and its options. */
export const SCHEME_OPTIONS = {
  scheme: { type: "string" },
  provider: { type: "string" },
  "header-family": { type: "string" },
  "public-url": { type: "string" },
  setting: { type: "string", multiple: true },
  ...STACK_OPTIONS,
} as const;

/** Presets whose header names follow `headerFamily` (`webhook-*` or `svix-*`). */
const HEADER_FAMILY_PRESETS = PRESET_IDS.filter((id) => {
  const preset: PresetDefinition = PRESETS[id];
  return preset.headerFamilies === true;
});
const URL_SIGNING_PRESETS = PRESET_IDS.filter((id) => presetSignsUrl(id));

export const SCHEME_HELP = `Scheme:
  --scheme <id>          a preset id (the ${PRESET_IDS.length} of 'webhooks providers'), or custom:<name> for a
                         scheme of the configuration's customSchemes (the file WEBHOOK_CONFIG names)
  --provider <id>        take the scheme, header family, tolerance, public URL and settings (and a
                         custom scheme's definition) from a provider of the synthesized stack (its
                         output validator_providers) instead
  --header-family <f>    ${HEADER_FAMILY_PRESETS.join(", ")} only: webhook (webhook-* headers, default) or svix
  --public-url <url>     the URL the sender calls, exactly as configured there, for senders that
                         sign it: ${URL_SIGNING_PRESETS.join(", ")}, and custom
                         schemes using {url}
  --setting <name=value> a preset's setting (okta header=X-Okta-Secret, plaid environment=sandbox);
                         repeatable, over the provider's
  --stack <name>         with --provider: the synthesized stack, a directory of cdktf.out/stacks
                         (default: the one the WEBHOOK_* environment synthesizes, else the only one)
  --stack-dir <dir>      with --provider: a synthesized stack directory anywhere`;

export interface SchemeChoice {
  /** The preset id, or `custom:<name>`. */
  readonly ref: string;
  readonly scheme: WebhookScheme;
  /** The preset's data; a custom scheme's as the engine reads it. */
  readonly preset: PresetDefinition;
  readonly options: SchemeOptions;
  /** Set when chosen with `--provider`. */
  readonly provider?: ProviderRuntimeConfig;
}

export interface SchemeValues {
  readonly scheme?: string | undefined;
  readonly provider?: string | undefined;
  readonly "header-family"?: string | undefined;
  readonly "public-url"?: string | undefined;
  readonly setting?: string[] | undefined;
  readonly stack?: string | undefined;
  readonly "stack-dir"?: string | undefined;
}

/**
 * The scheme from `--scheme`, or from `--provider` in the synthesized stack, with the options a
 * provider would give it; `--header-family`, `--public-url` and `--setting` override the provider's.
 * `fallbackPublicUrl` (send's `--url`) is the public URL of a URL-signing scheme that has none.
 */
export function chooseScheme(values: SchemeValues, io: Io, fallbackPublicUrl?: string): SchemeChoice {
  const family = choiceOption(values["header-family"], "header-family", ["webhook", "svix"] as const);
  const provider =
    values.provider === undefined ? undefined : providerOf(loadStack(values, io), values.provider);
  const ref = values.scheme ?? provider?.scheme;
  if (ref === undefined) throw new UsageError("--scheme is required (or --provider)");
  if (provider && provider.scheme !== ref) {
    throw new UsageError(
      `--scheme ${ref} contradicts --provider ${provider.id}, whose scheme is ${provider.scheme}`,
    );
  }
  const { preset, signsUrl, scheme } = resolveScheme(ref, provider, io);
  if (family !== undefined && !preset.headerFamilies) {
    throw new UsageError(`--header-family applies to ${HEADER_FAMILY_PRESETS.join(", ")} only`);
  }
  const headerFamily: HeaderFamily | undefined = family ?? provider?.headerFamily;
  const publicUrl = chosenPublicUrl(
    ref,
    signsUrl,
    values["public-url"] ?? provider?.publicUrl,
    fallbackPublicUrl,
  );
  const settings = chosenSettings(ref, preset, provider?.settings, values.setting ?? []);
  return {
    ref,
    scheme,
    preset,
    options: {
      ...(provider ? { toleranceSeconds: provider.toleranceSeconds } : {}),
      ...(headerFamily ? { headerFamily } : {}),
      ...(publicUrl === undefined ? {} : { publicUrl }),
      ...(settings === undefined ? {} : { settings }),
    },
    ...(provider ? { provider } : {}),
  };
}

function resolveScheme(
  ref: string,
  provider: ProviderRuntimeConfig | undefined,
  io: Io,
): { preset: PresetDefinition; signsUrl: boolean; scheme: WebhookScheme } {
  if (ref.startsWith(CUSTOM_PREFIX)) {
    const definition = customDefinition(ref, provider, io);
    return {
      preset: customPreset(ref.slice(CUSTOM_PREFIX.length), definition),
      signsUrl: customSignsUrl(definition),
      scheme: schemeFor(ref, definition),
    };
  }
  if (!isPresetId(ref)) {
    const near = closestKey(ref, PRESET_IDS);
    throw new UsageError(
      `--scheme: ${ref} is not a preset${near ? `; did you mean ${near}?` : ""} ('webhooks providers' lists them; custom:<name> names a custom scheme)`,
    );
  }
  const preset: PresetDefinition = PRESETS[ref];
  return { preset, signsUrl: presetSignsUrl(ref), scheme: schemeFor(ref) };
}

/** A custom scheme's definition: the provider's (from the stack), else the configuration's `customSchemes`. */
function customDefinition(
  ref: string,
  provider: ProviderRuntimeConfig | undefined,
  io: Io,
): CustomSchemeDefinition {
  if (provider?.custom) return provider.custom;
  const name = ref.slice(CUSTOM_PREFIX.length);
  const file = io.env.WEBHOOK_CONFIG;
  if (file === undefined) {
    throw new UsageError(
      `--scheme ${ref}: its definition is in the configuration: set WEBHOOK_CONFIG to the file whose customSchemes declares ${name}, or use --provider <id> with a synthesized stack`,
    );
  }
  const config = loadConfiguration(
    io,
    `WEBHOOK_CONFIG=${file}`,
    "fix the file, or use --provider with a synthesized stack",
  );
  const definition = config.customSchemes[name];
  if (definition) return definition;
  const known = Object.keys(config.customSchemes);
  const near = closestKey(name, known);
  throw new UsageError(
    `--scheme: ${file} declares no custom scheme ${name} (${known.join(", ") || "none"})${near ? `; did you mean custom:${near}?` : ""}`,
  );
}

function chosenPublicUrl(
  ref: string,
  signsUrl: boolean,
  given: string | undefined,
  fallback: string | undefined,
): string | undefined {
  if (!signsUrl) {
    if (given !== undefined) throw new UsageError(`--public-url: ${ref} does not sign the URL it calls`);
    return undefined;
  }
  const url = given ?? fallback;
  if (url === undefined) {
    throw new UsageError(
      `--public-url is required: ${ref} signs the URL it calls (give it exactly as configured at the sender)`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--public-url: '${url}' is not an absolute URL`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new UsageError(`--public-url must be http or https, got ${parsed.protocol}`);
  }
  return url;
}

/** The provider's settings with `--setting name=value` over them, each checked against the preset's. */
function chosenSettings(
  ref: string,
  preset: PresetDefinition,
  fromProvider: Readonly<Record<string, string>> | undefined,
  lines: readonly string[],
): Readonly<Record<string, string>> | undefined {
  const definitions = preset.settings ?? {};
  const known = Object.keys(definitions);
  const settings: Record<string, string> = { ...fromProvider };
  for (const line of lines) {
    const equals = line.indexOf("=");
    if (equals < 1) throw new UsageError(`--setting: '${line}' is not name=value`);
    const [name, value] = [line.slice(0, equals), line.slice(equals + 1)];
    const definition = definitions[name];
    if (!definition) {
      const near = closestKey(name, known);
      const has = known.length > 0 ? `settings ${known.join(", ")}` : "no settings";
      throw new UsageError(`--setting ${name}: ${ref} has ${has}${near ? `; did you mean ${near}?` : ""}`);
    }
    if (!new RegExp(definition.pattern).test(value)) {
      throw new UsageError(
        `--setting ${name}: '${value}' does not match ${definition.pattern} (${definition.description})`,
      );
    }
    settings[name] = value;
  }
  for (const [name, definition] of Object.entries(definitions)) {
    if (definition.required && settings[name] === undefined)
      throw new UsageError(`--setting ${name}=… is required by ${ref}: ${definition.description}`);
  }
  return Object.keys(settings).length > 0 ? settings : undefined;
}
