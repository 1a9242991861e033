export * from "./envelope";
export * from "./payload";
export * from "./providers";
export * from "./record";
export * from "./schemes";
