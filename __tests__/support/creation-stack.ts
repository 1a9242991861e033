/**
 * Stands in for cdktf's and constructs' `private/stack-trace` module under jest (jest.config.js
 * `moduleNameMapper`), with the same contract: the frames above `below`, one string per frame.
 *
 * cdktf records a creation stack for every token it makes, thousands per synth, and reads it only
 * to explain a resolution error. Under jest every such capture went through jest's source-map
 * formatter, frame by frame: 45% of a synthesizing test file's time. Here V8 formats the frames
 * itself (positions in the transpiled JavaScript, which is all a creation stack needs); a failing
 * test's own error still gets jest's mapped trace.
 */
export function captureStackTrace(below?: (...args: never[]) => unknown): string[] {
  const holder: { stack?: string } = {};
  const previousFormatter = Error.prepareStackTrace;
  const previousLimit = Error.stackTraceLimit;
  try {
    Error.prepareStackTrace = (_error, frames) => frames.map(String).join("\n");
    Error.stackTraceLimit = Number.MAX_SAFE_INTEGER;
    Error.captureStackTrace(holder, below ?? captureStackTrace);
    return holder.stack ? holder.stack.split("\n") : [];
  } finally {
    Error.prepareStackTrace = previousFormatter;
    Error.stackTraceLimit = previousLimit;
  }
}
