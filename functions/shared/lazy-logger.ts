/** The part of a structured logger (Powertools' Logger) the functions call. */
export interface ContextLogger<Context> {
  /** Called at the start of every invocation: the lines carry its request id. */
  addContext(context: Context): void;
  info(message: string, ...attributes: Record<string, unknown>[]): void;
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
  error(message: string, ...attributes: Record<string, unknown>[]): void;
}

/**
 * A logger made when the first line is logged, with the latest invocation context applied then.
 * The functions log nothing for a webhook that goes through, so most execution environments
 * never load the logging library (Powertools' Logger: ~15 ms of every cold start).
 *
 * @example const logger = loggerOnFirstLine(() => new (require("@aws-lambda-powertools/logger").Logger)());
 */
export function loggerOnFirstLine<Context>(make: () => ContextLogger<Context>): ContextLogger<Context> {
  let logger: ContextLogger<Context> | undefined;
  let context: Context | undefined;
  const made = () => {
    if (!logger) {
      logger = make();
      if (context !== undefined) logger.addContext(context);
    }
    return logger;
  };
  return {
    addContext(next) {
      context = next;
      logger?.addContext(next);
    },
    info: (message, ...attributes) => made().info(message, ...attributes),
    warn: (message, ...attributes) => made().warn(message, ...attributes),
    error: (message, ...attributes) => made().error(message, ...attributes),
  };
}
