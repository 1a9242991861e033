import { type ContextLogger, loggerOnFirstLine } from "@webhooks/shared";

function recordingLogger() {
  const calls: Array<[string, ...unknown[]]> = [];
  const logger: ContextLogger<string> = {
    addContext: (context) => calls.push(["addContext", context]),
    info: (message, ...attributes) => calls.push(["info", message, ...attributes]),
    warn: (message, ...attributes) => calls.push(["warn", message, ...attributes]),
    error: (message, ...attributes) => calls.push(["error", message, ...attributes]),
  };
  return { logger, calls };
}

describe("loggerOnFirstLine", () => {
  test("invocations that log nothing never make the logger", () => {
    const make = jest.fn(() => recordingLogger().logger);
    const logger = loggerOnFirstLine(make);
    logger.addContext("request-1");
    logger.addContext("request-2");
    expect(make).not.toHaveBeenCalled();
  });

  test("the first line makes it, with the current invocation's context applied first", () => {
    const { logger: inner, calls } = recordingLogger();
    const logger = loggerOnFirstLine(() => inner);
    logger.addContext("request-1");
    logger.addContext("request-2");
    logger.warn("request rejected", { code: "signature_mismatch" });
    expect(calls).toEqual([
      ["addContext", "request-2"],
      ["warn", "request rejected", { code: "signature_mismatch" }],
    ]);
  });

  test("once made, it is made once and gets each later context at once", () => {
    const { logger: inner, calls } = recordingLogger();
    const make = jest.fn(() => inner);
    const logger = loggerOnFirstLine(make);
    logger.error("first");
    logger.addContext("request-3");
    logger.info("second", { n: 2 });
    expect(make).toHaveBeenCalledTimes(1);
    expect(calls).toEqual([
      ["error", "first"],
      ["addContext", "request-3"],
      ["info", "second", { n: 2 }],
    ]);
  });
});
