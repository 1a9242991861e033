import type { AuditTrail } from "./handler";

/**
 * The audit trail as log lines: each transition one bare JSON object (`{"webhookId":…,"from":…,
 * "to":…,"at":…}`, nothing else: three per webhook, so every byte is paid three times), each
 * failure a JSON object with `level: "ERROR"` and a message. Written straight to stdout, where
 * Lambda's JSON log format takes each line as one log event (a line without `level` counts as INFO).
 *
 * @example createAuditHandler({ trail: stdoutTrail() })
 */
export function stdoutTrail(
  write: (line: string) => void = (line) => process.stdout.write(line),
): AuditTrail {
  return {
    transition(transition) {
      write(`${JSON.stringify(transition)}\n`);
    },
    failure(message, attributes) {
      write(`${JSON.stringify({ level: "ERROR", message, ...attributes })}\n`);
    },
  };
}
