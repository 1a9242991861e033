import { NAME_RULES, type NameKind, nameProblems, withStandInReferences } from "../../constructs/naming";
import { allResources } from "./synth";

/**
 * Every top-level name attribute of a synthesized document that breaks its rule, checked as
 * Terraform will resolve it (known-shape references read as their stand-ins).
 */
// biome-ignore lint/suspicious/noExplicitAny: Terraform JSON
export function nameOffenders(doc: any): string[] {
  const offenders: string[] = [];
  for (const [type, id, attributes] of allResources(doc)) {
    for (const kind of Object.keys(NAME_RULES) as NameKind[]) {
      const [ruleType, attribute] = kind.split(".") as [string, string];
      if (ruleType !== type || kind.split(".").length !== 2 || attributes[attribute] === undefined) continue;
      for (const problem of nameProblems(kind, withStandInReferences(attributes[attribute])))
        offenders.push(`${type}.${id}.${attribute}: ${problem}`);
    }
  }
  return offenders;
}
