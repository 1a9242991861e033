import { pair } from "./pair";
import { alarmCondition, shortRefs } from "./render-common";
import type { AlarmEntry, Change, ChangeKind, EventRuleEntry } from "./types";

/**
 * Alarm and event-rule changes, by name: when an alarm fires (comparison, threshold, periods),
 * what it does with missing data and whom it notifies; a rule's state, bus, pattern or schedule,
 * and its targets with their dead-letter queues, roles and retries. None of these widens access.
 */

export function alarmChanges(before: readonly AlarmEntry[], after: readonly AlarmEntry[]): Change[] {
  const changes: Change[] = [];
  const subject = (alarm: AlarmEntry) => `alarm ${alarm.name}`;
  pair(before, after, (alarm) => alarm.name, {
    added: (alarm) =>
      changes.push({
        kind: "added",
        section: "alarms",
        subject: subject(alarm),
        detail: `added: ${alarmCondition(alarm)}, missing data ${alarm.treatMissingData}, ${shortRefs(alarm.metric)}`,
      }),
    removed: (alarm) =>
      changes.push({ kind: "removed", section: "alarms", subject: subject(alarm), detail: "removed" }),
    both: (old, now) => {
      const differences = [
        ["fires when", alarmCondition(old), alarmCondition(now)],
        ["missing data", old.treatMissingData, now.treatMissingData],
        ["metric", shortRefs(old.metric), shortRefs(now.metric)],
        [
          "notifies",
          old.actions.map(shortRefs).join(", ") || "nobody",
          now.actions.map(shortRefs).join(", ") || "nobody",
        ],
        ["actions", old.actionsEnabled ? "enabled" : "disabled", now.actionsEnabled ? "enabled" : "disabled"],
      ]
        .filter(([, a, b]) => a !== b)
        .map(([label, a, b]) => `${label} ${a} → ${b}`);
      if (differences.length > 0) {
        changes.push({
          kind: "changed",
          section: "alarms",
          subject: subject(now),
          detail: differences.join("; "),
        });
      }
    },
  });
  return changes;
}

export function eventRuleChanges(
  before: readonly EventRuleEntry[],
  after: readonly EventRuleEntry[],
): Change[] {
  const changes: Change[] = [];
  const emit = (kind: ChangeKind, rule: EventRuleEntry, detail: string) =>
    changes.push({ kind, section: "event rules", subject: `rule ${rule.name}`, detail });
  pair(before, after, (rule) => rule.name, {
    added: (rule) =>
      emit(
        "added",
        rule,
        `added: ${rule.eventPattern ? `pattern ${rule.eventPattern}` : `schedule ${rule.schedule ?? "?"}`} → ${rule.targets.map((t) => shortRefs(t.target)).join(", ") || "no target"}`,
      ),
    removed: (rule) => emit("removed", rule, "removed"),
    both: (old, now) => {
      for (const [label, a, b] of [
        ["state", old.state, now.state],
        ["bus", old.bus, now.bus],
        ["pattern", old.eventPattern ?? "none", now.eventPattern ?? "none"],
        ["schedule", old.schedule ?? "none", now.schedule ?? "none"],
      ] as const) {
        if (a !== b) emit("changed", now, `${label} ${shortRefs(a)} → ${shortRefs(b)}`);
      }
      pair(old.targets, now.targets, (target) => shortRefs(target.target), {
        added: (target) => emit("added", now, `now also delivers to ${shortRefs(target.target)}`),
        removed: (target) => emit("removed", now, `no longer delivers to ${shortRefs(target.target)}`),
        both: (a, b) => {
          const text = (t: typeof a) =>
            `dead letters ${shortRefs(t.deadLetter ?? "none")}, role ${shortRefs(t.role ?? "none")}, retry ${t.retry ?? "default"}`;
          if (text(a) !== text(b))
            emit("changed", now, `target ${shortRefs(b.target)}: ${text(a)} → ${text(b)}`);
        },
      });
    },
  });
  return changes;
}
