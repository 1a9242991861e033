import { stdoutTrail } from "../../../functions/audit/stdout-trail";

function captured() {
  const lines: string[] = [];
  return { trail: stdoutTrail((line) => lines.push(line)), lines };
}

test("a transition is one line holding exactly its own JSON object", () => {
  const { trail, lines } = captured();
  trail.transition({ webhookId: "wh_1", from: "QUEUED", to: "ROUTED", at: "2026-11-23T10:00:00Z" });
  expect(lines).toEqual(['{"webhookId":"wh_1","from":"QUEUED","to":"ROUTED","at":"2026-11-23T10:00:00Z"}\n']);
});

test("a failure is one line at level ERROR with its message and attributes", () => {
  const { trail, lines } = captured();
  trail.failure("stream record not audited; reported for retry", { sequenceNumber: "101" });
  expect(lines.map((line) => JSON.parse(line))).toEqual([
    { level: "ERROR", message: "stream record not audited; reported for retry", sequenceNumber: "101" },
  ]);
  expect(lines[0]!.endsWith("\n")).toBe(true);
});
