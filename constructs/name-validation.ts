import { TerraformResource, Token } from "cdktf";
import type { IConstruct, IValidation } from "constructs";
import { FORBIDDEN_NAME_ATTRIBUTES, NAME_RULES, type NameKind, type Naming, nameProblems } from "./naming";

/**
 * A stack validation (runs in `cdktf synth` and `Testing.synth(stack, true)`) that checks every
 * name-like attribute of every resource in the stack, whoever created it, against the naming
 * table: limits, charset, reserved values, unresolved tokens, and no `*_prefix` names. Tokens the
 * stack's naming registered as known shapes (the account id) are checked as their stand-ins.
 * One line per offender: type, logical id, attribute, value, length/limit and the problem.
 */
export class NameValidation implements IValidation {
  constructor(
    private readonly scope: IConstruct,
    private readonly naming: Naming,
  ) {}

  validate(): string[] {
    const errors: string[] = [];
    for (const node of this.scope.node.findAll()) {
      if (!TerraformResource.isTerraformResource(node)) continue;
      const resource = node as TerraformResource;
      const config = resourceConfig(resource);
      if (!config) continue;
      const where = `${resource.terraformResourceType} ${resource.friendlyUniqueId}`;
      for (const attribute of FORBIDDEN_NAME_ATTRIBUTES) {
        if (config[attribute] !== undefined)
          errors.push(
            `${where} ${attribute}: non-deterministic names are not allowed; use the naming module`,
          );
      }
      for (const [kind, path] of attributePathsFor(resource.terraformResourceType)) {
        for (const { attribute, value } of valuesAt(config, path)) {
          const checked = typeof value === "string" ? this.naming.withStandIns(value) : value;
          errors.push(...problemsOf(where, kind, attribute, checked));
        }
      }
    }
    return errors;
  }
}

function problemsOf(where: string, kind: NameKind, attribute: string, value: unknown): string[] {
  if (typeof value !== "string")
    return [`${where} ${attribute}: expected a string name, got ${typeof value}`];
  if (Token.isUnresolved(value)) {
    return [
      `${where} ${attribute} = ${value}: unresolved token; build physical names from plain config strings`,
    ];
  }
  const { max } = NAME_RULES[kind];
  return nameProblems(kind, value).map(
    (problem) => `${where} ${attribute} = "${value}" (length ${value.length}/${max}): ${problem}`,
  );
}

function attributePathsFor(type: string): Array<[NameKind, string[]]> {
  return (Object.keys(NAME_RULES) as NameKind[])
    .filter((kind) => kind.startsWith(`${type}.`))
    .map((kind) => [kind, kind.slice(type.length + 1).split(".")]);
}

/** The resource's synthesized attributes (snake_case, overrides applied). */
function resourceConfig(resource: TerraformResource): Record<string, unknown> | undefined {
  const synthesized = resource.toTerraform() as {
    resource?: Record<string, Record<string, Record<string, unknown>>>;
  };
  return synthesized.resource?.[resource.terraformResourceType]?.[resource.friendlyUniqueId];
}

/** Values at a path like `rule[].visibility_config.metric_name`; absent optional attributes yield nothing. */
function valuesAt(
  config: unknown,
  path: string[],
  prefix = "",
): Array<{ attribute: string; value: unknown }> {
  if (path.length === 0)
    return config === undefined || config === null ? [] : [{ attribute: prefix, value: config }];
  const [head, ...rest] = path as [string, ...string[]];
  const isList = head.endsWith("[]");
  const key = isList ? head.slice(0, -2) : head;
  const next = (config as Record<string, unknown> | undefined)?.[key];
  const label = prefix ? `${prefix}.${key}` : key;
  if (next === undefined || next === null) return [];
  if (!isList) return valuesAt(Array.isArray(next) ? next[0] : next, rest, label);
  const items = Array.isArray(next) ? next : [next];
  return items.flatMap((item, index) => valuesAt(item, rest, `${label}[${index}]`));
}
