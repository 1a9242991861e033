// The platform's configuration: types, defaults, validation and loading from WEBHOOK_CONFIG.
export { DEFAULT_CONFIG, DEFAULT_LIMITS, REGIONAL_ENVIRONMENT } from "./defaults";
export { loadConfig, resolveConfig } from "./load";
export type * from "./types";
export { ConfigError, validateConfig } from "./validate";
