export * from "./envelope";
export * from "./lazy";
export * from "./payload";
export * from "./providers";
export * from "./record";
export * from "./schemes";
