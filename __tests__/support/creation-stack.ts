/**
 * Stands in for cdktf's and constructs' `private/stack-trace` module under jest (jest.config.js
 * `moduleNameMapper`), with the same use: the frames above `below`, which cdktf joins into a
 * resolution error's message.
 *
 * cdktf records a creation stack for every token it makes, thousands per synth, and reads one
 * only to explain a resolution error. Under jest every capture went through jest's source-map
 * formatter, frame by frame: 45% of a synthesizing test file's time. Here the frames stay V8's
 * call sites, formatted (by V8, positions in the transpiled JavaScript) only if a message joins
 * them; a failing test's own error still gets jest's mapped trace.
 */
export function captureStackTrace(below?: (...args: never[]) => unknown): string[] {
  const holder: { stack?: unknown } = {};
  const previousFormatter = Error.prepareStackTrace;
  const previousLimit = Error.stackTraceLimit;
  try {
    Error.prepareStackTrace = (_error, frames) => frames;
    Error.stackTraceLimit = Number.MAX_SAFE_INTEGER;
    Error.captureStackTrace(holder, below ?? captureStackTrace);
    // Call sites print as the frame's text (`join` calls their toString).
    return Array.isArray(holder.stack) ? (holder.stack as string[]) : [];
  } finally {
    Error.prepareStackTrace = previousFormatter;
    Error.stackTraceLimit = previousLimit;
  }
}
