export * from "./envelope";
export * from "./payload";
export * from "./record";
export * from "./providers";
