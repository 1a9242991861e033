import { synthStack } from "../support/synth";

/**
 * Terraform refuses a configuration whose resources form a cycle, but only at plan. The key policy
 * names queues and the topic it encrypts while the bus and archive wait for the key policy, so the
 * graph is worth checking at synth: references (`${type.name.attr}`) and `depends_on` are the edges.
 */
const { doc } = synthStack();

type Node = string;

function nodes(): Map<Node, unknown> {
  const all = new Map<Node, unknown>();
  for (const [type, byId] of Object.entries(doc.resource ?? {})) {
    for (const [id, attributes] of Object.entries(byId as Record<string, unknown>))
      all.set(`${type}.${id}`, attributes);
  }
  for (const [type, byId] of Object.entries(doc.data ?? {})) {
    for (const [id, attributes] of Object.entries(byId as Record<string, unknown>))
      all.set(`data.${type}.${id}`, attributes);
  }
  return all;
}

function edges(attributes: unknown): Node[] {
  const found = new Set<Node>();
  const visit = (value: unknown, key?: string) => {
    if (typeof value === "string") {
      for (const match of value.matchAll(/\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\./g)) {
        found.add(`${match[1] ?? ""}${match[2]}.${match[3]}`);
      }
      if (key === "depends_on") found.add(value);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, key);
    } else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) if (k !== "//") visit(v, k);
    }
  };
  visit(attributes);
  return [...found];
}

const graph = new Map([...nodes()].map(([node, attributes]) => [node, edges(attributes)]));

test("every reference names a resource or data source of the stack", () => {
  const dangling = [...graph].flatMap(([node, targets]) =>
    targets.filter((target) => !graph.has(target)).map((target) => `${node} → ${target}`),
  );
  expect(dangling).toEqual([]);
});

test("the resources form no dependency cycle (Terraform would refuse the plan)", () => {
  const state = new Map<Node, "visiting" | "done">();
  const cycles: string[] = [];
  const visit = (node: Node, path: Node[]) => {
    if (state.get(node) === "done") return;
    if (state.get(node) === "visiting") {
      cycles.push([...path.slice(path.indexOf(node)), node].join(" → "));
      return;
    }
    state.set(node, "visiting");
    for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    state.set(node, "done");
  };
  for (const node of graph.keys()) visit(node, []);
  expect(cycles).toEqual([]);
});

test("the bus and archive wait for the key policy, which does not wait for them", () => {
  const keyPolicy = [...graph.keys()].find((node) => node.startsWith("aws_kms_key_policy."))!;
  const bus = [...graph.keys()].find((node) => node.startsWith("aws_cloudwatch_event_bus."))!;
  expect(graph.get(bus)).toContain(keyPolicy);
  expect(graph.get(keyPolicy)!.some((node) => node.startsWith("aws_cloudwatch_event_"))).toBe(false);
});

test("rules and targets are created after the bus they live on", () => {
  const bus = [...graph.keys()].find((node) => node.startsWith("aws_cloudwatch_event_bus."))!;
  for (const [node, targets] of graph) {
    if (node.startsWith("aws_cloudwatch_event_rule.") || node.startsWith("aws_cloudwatch_event_target.")) {
      expect(targets).toContain(bus);
    }
  }
});
