export * from "./envelope";
export * from "./lazy";
export * from "./lazy-logger";
export * from "./limits";
export * from "./payload";
export * from "./providers";
export * from "./record";
export * from "./schemes";
