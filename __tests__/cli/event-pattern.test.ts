import { compilePattern, patternProblems, UnsupportedPatternError } from "../../cli/src/event-pattern";

/** One row: does EventBridge deliver `event` to a rule with `pattern`? */
interface Case {
  readonly why: string;
  readonly pattern: Record<string, unknown>;
  readonly event: Record<string, unknown>;
  readonly matches: boolean;
}

function specify(cases: readonly Case[]): void {
  test.each(cases)("$why", ({ pattern, event, matches }) => {
    expect(compilePattern(pattern).matches(event)).toBe(matches);
  });
}

/** An event with the given detail, the envelope as EventBridge delivers it. */
const withDetail = (detail: Record<string, unknown>, more: Record<string, unknown> = {}) => ({
  version: "0",
  id: "ddddd4-aaaa-7777-4444-345dd43cc333",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "012345679012",
  time: "2017-10-02T16:24:49Z",
  region: "us-east-1",
  resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
  detail,
  ...more,
});

describe("exact values, nesting and AND/OR", () => {
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
  const terminated = withDetail({ "instance-id": "i-1234567890abcdef0", state: "terminated" });
  const terminations = {
    source: ["aws.ec2"],
    "detail-type": ["EC2 Instance State-change Notification"],
    detail: { state: ["terminated"] },
  };
  // The Macie alert of the same page, truncated to what the pattern reads.
  const macie = withDetail({ "risk-score": 80, trigger: { "alert-type": "basic", risk: 8 } });
  specify([
    {
      why: "every field of the pattern equals the event's",
      pattern: terminations,
      event: terminated,
      matches: true,
    },
    {
      why: "one field differs: no match",
      pattern: terminations,
      event: withDetail({ state: "running" }),
      matches: false,
    },
    {
      why: "a field the event lacks: no match",
      pattern: { detail: { reason: ["terminated"] } },
      event: terminated,
      matches: false,
    },
    {
      why: "values in a list are alternatives (aws.ec2 or aws.fargate)",
      pattern: { source: ["aws.fargate", "aws.ec2"] },
      event: terminated,
      matches: true,
    },
    {
      why: "strings compare exactly, case included",
      pattern: { source: ["AWS.EC2"] },
      event: terminated,
      matches: false,
    },
    {
      why: "nested numbers (risk-score 80 and trigger.risk 8)",
      pattern: { source: ["aws.ec2"], detail: { "risk-score": [80], trigger: { risk: [8] } } },
      event: macie,
      matches: true,
    },
    {
      why: "a nested number that differs: no match",
      pattern: { detail: { "risk-score": [80], trigger: { risk: [9] } } },
      event: macie,
      matches: false,
    },
    {
      why: 'the number 80 is not the string "80"',
      pattern: { detail: { "risk-score": ["80"] } },
      event: macie,
      matches: false,
    },
    {
      why: "booleans compare as JSON literals",
      pattern: { detail: { live: [false] } },
      event: withDetail({ live: false }),
      matches: true,
    },
    {
      why: 'false is not the string "false"',
      pattern: { detail: { live: [false] } },
      event: withDetail({ live: "false" }),
      matches: false,
    },
    {
      why: "a list of values never matches an object in the event",
      pattern: { detail: { trigger: ["basic"] } },
      event: macie,
      matches: false,
    },
    {
      why: "JSON inside a string is a string, not fields",
      pattern: { detail: { state: ["terminated"] } },
      event: { detail: '{"state":"terminated"}' },
      matches: false,
    },
  ]);
});

describe("null and empty strings", () => {
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html
  const launch = {
    version: "0",
    id: "3e3c153a-8339-4e30-8c35-687ebef853fe",
    "detail-type": "EC2 Instance Launch Successful",
    source: "aws.autoscaling",
    account: "123456789012",
    time: "2015-11-11T21:31:47Z",
    region: "us-east-1",
    resources: [],
    detail: { eventVersion: "", responseElements: null },
  };
  specify([
    {
      why: '[""] matches an empty string',
      pattern: { detail: { eventVersion: [""] } },
      event: launch,
      matches: true,
    },
    {
      why: "[null] matches null",
      pattern: { detail: { responseElements: [null] } },
      event: launch,
      matches: true,
    },
    {
      why: '[""] does not match null',
      pattern: { detail: { responseElements: [""] } },
      event: launch,
      matches: false,
    },
    {
      why: "[null] does not match an empty string",
      pattern: { detail: { eventVersion: [null] } },
      event: launch,
      matches: false,
    },
    {
      why: "[null] does not match a missing field",
      pattern: { detail: { userId: [null] } },
      event: launch,
      matches: false,
    },
    {
      why: "[null] does not match an empty array",
      pattern: { resources: [null] },
      event: launch,
      matches: false,
    },
  ]);
});

describe("arrays in the event", () => {
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
  const instances = {
    resources: [
      "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
      "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f",
      "arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f",
    ],
  };
  const asg =
    "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate";
  // Array-consistent matching: https://github.com/aws/event-ruler#json-array-matching (the matching
  // library EventBridge publishes).
  const employees = {
    employees: [
      { firstName: "John", lastName: "Doe" },
      { firstName: "Anna", lastName: "Smith" },
      { firstName: "Peter", lastName: "Jones" },
    ],
  };
  specify([
    {
      why: "matches when the pattern's list and the event's array share a value",
      pattern: instances,
      event: { resources: [asg, "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"] },
      matches: true,
    },
    { why: "no shared value: no match", pattern: instances, event: { resources: [asg] }, matches: false },
    {
      why: "objects in an array are each the value of the field",
      pattern: { employees: { firstName: ["Anna"] } },
      event: employees,
      matches: true,
    },
    {
      why: "fields from one element match together (Anna Smith)",
      pattern: { employees: { firstName: ["Anna"], lastName: ["Smith"] } },
      event: employees,
      matches: true,
    },
    {
      why: "fields from different elements do not (Anna Jones)",
      pattern: { employees: { firstName: ["Anna"], lastName: ["Jones"] } },
      event: employees,
      matches: false,
    },
    {
      why: "arrays of arrays are flattened",
      pattern: { employees: { firstName: ["Peter"] } },
      event: { employees: [[employees.employees[0], employees.employees[1]], [employees.employees[2]]] },
      matches: true,
    },
  ]);
});

describe("keys are joined with dots", () => {
  // https://github.com/aws/event-ruler#caveat-compiled-rules-and-json-keys-with-dots
  specify([
    {
      why: "a dotted key in the pattern matches nested fields",
      pattern: { detail: { "state.status": ["running"] } },
      event: withDetail({ state: { status: "running" } }),
      matches: true,
    },
    {
      why: "nested fields in the pattern match a dotted key in the event",
      pattern: { detail: { state: { status: ["running"] } } },
      event: withDetail({ "state.status": "running" }),
      matches: true,
    },
    {
      why: "a dotted key one level deeper is another path",
      pattern: { detail: { state: { status: ["running"] } } },
      event: withDetail({ "state.status": { status: "running" } }),
      matches: false,
    },
  ]);
});

describe("prefix and suffix", () => {
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-prefix-matching
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-suffix-matching
  specify([
    {
      why: "prefix: time starts with 2017-10-02",
      pattern: { time: [{ prefix: "2017-10-02" }] },
      event: withDetail({}, { time: "2017-10-02T18:43:48Z" }),
      matches: true,
    },
    {
      why: "prefix: another day does not",
      pattern: { time: [{ prefix: "2017-10-02" }] },
      event: withDetail({}, { time: "2017-10-03T18:43:48Z" }),
      matches: false,
    },
    {
      why: "prefix is case-sensitive",
      pattern: { detail: { service: [{ prefix: "EventB" }] } },
      event: withDetail({ service: "eventbridge" }),
      matches: false,
    },
    {
      why: "prefix equals-ignore-case: EventB matches eventbridge",
      pattern: { detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } },
      event: withDetail({ service: "eventbridge" }),
      matches: true,
    },
    {
      why: "prefix equals-ignore-case: EventB does not match Events",
      pattern: { detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } },
      event: withDetail({ service: "Events" }),
      matches: false,
    },
    {
      why: "prefix applies to strings only",
      pattern: { detail: { code: [{ prefix: "1" }] } },
      event: withDetail({ code: 10 }),
      matches: false,
    },
    {
      why: 'an empty prefix matches every string ("any detail-type")',
      pattern: { "detail-type": [{ prefix: "" }] },
      event: withDetail({}),
      matches: true,
    },
    {
      why: "an empty prefix does not match a missing field",
      pattern: { detail: { service: [{ prefix: "" }] } },
      event: withDetail({}),
      matches: false,
    },
    {
      why: "suffix: FileName ends with .png",
      pattern: { FileName: [{ suffix: ".png" }] },
      event: { FileName: "image.png" },
      matches: true,
    },
    {
      why: "suffix is case-sensitive",
      pattern: { FileName: [{ suffix: ".png" }] },
      event: { FileName: "image.PNG" },
      matches: false,
    },
    {
      why: "suffix equals-ignore-case: .png matches image.PNG",
      pattern: { detail: { FileName: [{ suffix: { "equals-ignore-case": ".png" } }] } },
      event: withDetail({ FileName: "image.PNG" }),
      matches: true,
    },
    {
      why: "suffix equals-ignore-case: .png does not match image.jpg",
      pattern: { detail: { FileName: [{ suffix: { "equals-ignore-case": ".png" } }] } },
      event: withDetail({ FileName: "image.jpg" }),
      matches: false,
    },
  ]);
});

describe("equals-ignore-case", () => {
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-equals-ignore-case-matching
  const alice = { Name: [{ "equals-ignore-case": "alice" }] };
  specify([
    { why: "alice matches Alice", pattern: alice, event: { Name: "Alice" }, matches: true },
    { why: "alice matches ALICE", pattern: alice, event: { Name: "ALICE" }, matches: true },
    { why: "alice does not match Alicia", pattern: alice, event: { Name: "Alicia" }, matches: false },
    {
      why: "strings only: a number never matches",
      pattern: { code: [{ "equals-ignore-case": "1" }] },
      event: { code: 1 },
      matches: false,
    },
  ]);
});

describe("wildcard", () => {
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-wildcard-matching
  const pngInDir = { FileName: [{ wildcard: "dir/*.png" }] };
  const anyAccount = { EventBusArn: [{ wildcard: "arn:aws:events:us-east-1:*:event-bus/*" }] };
  specify([
    {
      why: "dir/*.png matches dir/image.png",
      pattern: pngInDir,
      event: { FileName: "dir/image.png" },
      matches: true,
    },
    {
      why: "* crosses slashes: dir/a/b.png",
      pattern: pngInDir,
      event: { FileName: "dir/a/b.png" },
      matches: true,
    },
    {
      why: "* may stand for nothing: dir/.png",
      pattern: pngInDir,
      event: { FileName: "dir/.png" },
      matches: true,
    },
    {
      why: "dir/*.png does not match dir/image.jpg",
      pattern: pngInDir,
      event: { FileName: "dir/image.jpg" },
      matches: false,
    },
    {
      why: "dir/*.png does not match other/image.png",
      pattern: pngInDir,
      event: { FileName: "other/image.png" },
      matches: false,
    },
    {
      why: "several wildcards: any account, any bus name",
      pattern: anyAccount,
      event: { EventBusArn: "arn:aws:events:us-east-1:123456789012:event-bus/myEventBus" },
      matches: true,
    },
    {
      why: "several wildcards: another region does not match",
      pattern: anyAccount,
      event: { EventBusArn: "arn:aws:events:us-west-2:123456789012:event-bus/myEventBus" },
      matches: false,
    },
    {
      why: "segments between wildcards are found in order",
      pattern: { key: [{ wildcard: "a*b*c" }] },
      event: { key: "a-c-b-c" },
      matches: true,
    },
    {
      why: "segments may not overlap the end",
      pattern: { key: [{ wildcard: "ab*bc" }] },
      event: { key: "abc" },
      matches: false,
    },
    {
      why: "\\* is a literal star",
      pattern: { key: [{ wildcard: "a\\*b" }] },
      event: { key: "a*b" },
      matches: true,
    },
    {
      why: "\\* is not a wildcard",
      pattern: { key: [{ wildcard: "a\\*b" }] },
      event: { key: "axb" },
      matches: false,
    },
    {
      why: "\\\\ is a literal backslash",
      pattern: { key: [{ wildcard: "a\\\\*" }] },
      event: { key: "a\\b" },
      matches: true,
    },
    {
      why: "an empty wildcard matches only an empty string",
      pattern: { key: [{ wildcard: "" }] },
      event: { key: "x" },
      matches: false,
    },
    { why: "strings only", pattern: { key: [{ wildcard: "*" }] }, event: { key: 5 }, matches: false },
  ]);
});

describe("anything-but", () => {
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-anything-but
  specify([
    {
      why: "a string: another value matches",
      pattern: { detail: { state: [{ "anything-but": "initializing" }] } },
      event: withDetail({ state: "running" }),
      matches: true,
    },
    {
      why: "a string: that value does not",
      pattern: { detail: { state: [{ "anything-but": "initializing" }] } },
      event: withDetail({ state: "initializing" }),
      matches: false,
    },
    {
      why: "a missing field never matches",
      pattern: { detail: { state: [{ "anything-but": "initializing" }] } },
      event: withDetail({}),
      matches: false,
    },
    {
      // Beyond the page: EventBridge's TestEventPattern answers true for a null value.
      why: "null is present and not excluded: it matches",
      pattern: { detail: { state: [{ "anything-but": "initializing" }] } },
      event: withDetail({ state: null }),
      matches: true,
    },
    {
      why: "a number: another number matches",
      pattern: { detail: { "x-limit": [{ "anything-but": 123 }] } },
      event: withDetail({ "x-limit": 124 }),
      matches: true,
    },
    {
      why: "a number: that number does not",
      pattern: { detail: { "x-limit": [{ "anything-but": 123 }] } },
      event: withDetail({ "x-limit": 123 }),
      matches: false,
    },
    {
      why: 'a number: the string "123" is another value',
      pattern: { detail: { "x-limit": [{ "anything-but": 123 }] } },
      event: withDetail({ "x-limit": "123" }),
      matches: true,
    },
    {
      why: "a list of strings: a value not in it matches",
      pattern: { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } },
      event: withDetail({ state: "running" }),
      matches: true,
    },
    {
      why: "a list of strings: a value in it does not",
      pattern: { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } },
      event: withDetail({ state: "overloaded" }),
      matches: false,
    },
    {
      why: "a list of numbers: a number not in it matches",
      pattern: { detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } },
      event: withDetail({ "x-limit": 301.8 }),
      matches: true,
    },
    {
      why: "a list of numbers: a number in it does not",
      pattern: { detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } },
      event: withDetail({ "x-limit": 200 }),
      matches: false,
    },
    {
      why: "prefix: Region not in the US",
      pattern: { Region: [{ "anything-but": { prefix: "us-" } }] },
      event: { Region: "eu-west-1" },
      matches: true,
    },
    {
      why: "prefix: a US region does not match",
      pattern: { Region: [{ "anything-but": { prefix: "us-" } }] },
      event: { Region: "us-east-1" },
      matches: false,
    },
    {
      why: "prefix: a number has no prefix to exclude",
      pattern: { detail: { state: [{ "anything-but": { prefix: "init" } }] } },
      event: withDetail({ state: 12 }),
      matches: true,
    },
    {
      why: "suffix: FileName not ending in .png",
      pattern: { FileName: [{ "anything-but": { suffix: ".png" } }] },
      event: { FileName: "image.jpg" },
      matches: true,
    },
    {
      why: "suffix: image.png does not match",
      pattern: { FileName: [{ "anything-but": { suffix: ".png" } }] },
      event: { FileName: "image.png" },
      matches: false,
    },
    {
      why: "equals-ignore-case: another value matches",
      pattern: { state: [{ "anything-but": { "equals-ignore-case": "initializing" } }] },
      event: { state: "running" },
      matches: true,
    },
    {
      why: "equals-ignore-case: INITIALIZING does not",
      pattern: { state: [{ "anything-but": { "equals-ignore-case": "initializing" } }] },
      event: { state: "INITIALIZING" },
      matches: false,
    },
    {
      why: "equals-ignore-case list: Stopped is excluded by stopped",
      pattern: { state: [{ "anything-but": { "equals-ignore-case": ["initializing", "stopped"] } }] },
      event: { state: "Stopped" },
      matches: false,
    },
    {
      why: "wildcard: a path without /lib/ matches",
      pattern: { FilePath: [{ "anything-but": { wildcard: "*/lib/*" } }] },
      event: { FilePath: "/usr/bin/tool" },
      matches: true,
    },
    {
      why: "wildcard: a path with /lib/ does not",
      pattern: { FilePath: [{ "anything-but": { wildcard: "*/lib/*" } }] },
      event: { FilePath: "/usr/lib/tool" },
      matches: false,
    },
    {
      why: "an array matches when one element is not excluded",
      pattern: { detail: { state: [{ "anything-but": "stopped" }] } },
      event: withDetail({ state: ["stopped", "running"] }),
      matches: true,
    },
  ]);
});

describe("numeric", () => {
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#filtering-numeric-matching
  const counts = {
    detail: {
      "c-count": [{ numeric: [">", 0, "<=", 5] }],
      "d-count": [{ numeric: ["<", 10] }],
      "x-limit": [{ numeric: ["=", 3.018e2] }],
    },
  };
  const price = { Price: [{ numeric: [">", 10, "<=", 20] }] };
  specify([
    {
      why: "every comparison holds",
      pattern: counts,
      event: withDetail({ "c-count": 5, "d-count": 3, "x-limit": 301.8 }),
      matches: true,
    },
    {
      why: "> 0 excludes 0",
      pattern: counts,
      event: withDetail({ "c-count": 0, "d-count": 3, "x-limit": 301.8 }),
      matches: false,
    },
    {
      why: "<= 5 excludes 6",
      pattern: counts,
      event: withDetail({ "c-count": 6, "d-count": 3, "x-limit": 301.8 }),
      matches: false,
    },
    {
      why: "= 3.018e2 excludes 301.9",
      pattern: counts,
      event: withDetail({ "c-count": 5, "d-count": 3, "x-limit": 301.9 }),
      matches: false,
    },
    {
      why: "Price is 100: = 100",
      pattern: { Price: [{ numeric: ["=", 100] }] },
      event: { Price: 100 },
      matches: true,
    },
    { why: "a range includes its closed top", pattern: price, event: { Price: 20 }, matches: true },
    { why: "a range excludes its open bottom", pattern: price, event: { Price: 10 }, matches: false },
    {
      why: ">= includes the bound",
      pattern: { Price: [{ numeric: [">=", 10] }] },
      event: { Price: 10 },
      matches: true,
    },
    {
      why: 'JSON numbers only: the string "15" does not match',
      pattern: price,
      event: { Price: "15" },
      matches: false,
    },
    { why: "null does not match", pattern: price, event: { Price: null }, matches: false },
  ]);
});

describe("cidr", () => {
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-ip-matching
  const v4 = { detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } };
  const v6 = { detail: { sourceIPAddress: [{ cidr: "2001:db8:1234:1a00::/64" }] } };
  specify([
    {
      why: "10.0.0.255 is in 10.0.0.0/24",
      pattern: v4,
      event: withDetail({ sourceIPAddress: "10.0.0.255" }),
      matches: true,
    },
    {
      why: "10.0.1.0 is not",
      pattern: v4,
      event: withDetail({ sourceIPAddress: "10.0.1.0" }),
      matches: false,
    },
    {
      why: "10.0.0.256 is not an address",
      pattern: v4,
      event: withDetail({ sourceIPAddress: "10.0.0.256" }),
      matches: false,
    },
    {
      why: "a number is not an address",
      pattern: v4,
      event: withDetail({ sourceIPAddress: 10 }),
      matches: false,
    },
    {
      why: "IPv6: an address of the /64",
      pattern: v6,
      event: withDetail({ sourceIPAddress: "2001:0db8:1234:1a00:0000:0000:0000:00ff" }),
      matches: true,
    },
    {
      why: "IPv6: the next /64 is not",
      pattern: v6,
      event: withDetail({ sourceIPAddress: "2001:db8:1234:1a01::" }),
      matches: false,
    },
    {
      why: "IPv6 with an IPv4 tail",
      pattern: { ip: [{ cidr: "::ffff:0:0/96" }] },
      event: { ip: "::ffff:10.0.0.1" },
      matches: true,
    },
    {
      why: "an IPv4 address is not in an IPv6 block",
      pattern: v6,
      event: withDetail({ sourceIPAddress: "10.0.0.1" }),
      matches: false,
    },
    ...["1::2::3", "12345::1", "2001:db8::1%eth0", "1:2:3:4:5:6:7:8:9", "::ffff:10.0.0.256"].map(
      (notAddress) => ({
        why: `${notAddress} is not an IPv6 address: not even in ::/0`,
        pattern: { ip: [{ cidr: "::/0" }] },
        event: { ip: notAddress },
        matches: false,
      }),
    ),
    { why: "::1 is in ::/0", pattern: { ip: [{ cidr: "::/0" }] }, event: { ip: "::1" }, matches: true },
    {
      // Event Ruler compares addresses as addresses: https://github.com/aws/event-ruler#ip-address-matching
      why: "an address as a plain value matches it in any notation",
      pattern: { ip: ["2001:db8::1"] },
      event: { ip: "2001:0DB8:0:0:0:0:0:1" },
      matches: true,
    },
  ]);
});

describe("exists", () => {
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-exists-matching
  const noCount = { detail: { "c-count": [{ exists: false }] } };
  const productName = { ProductName: [{ exists: true }] };
  specify([
    {
      why: "exists false: an event without detail.c-count",
      pattern: noCount,
      event: withDetail({ state: ["initializing", "running"] }),
      matches: true,
    },
    {
      why: "exists false: c-count is an object, not a leaf",
      pattern: noCount,
      event: withDetail({ state: ["initializing", "running"], "c-count": { c1: 100 } }),
      matches: true,
    },
    {
      why: "exists false: a c-count leaf",
      pattern: noCount,
      event: withDetail({ "c-count": 5 }),
      matches: false,
    },
    {
      why: "exists false: null is a leaf",
      pattern: noCount,
      event: withDetail({ "c-count": null }),
      matches: false,
    },
    {
      why: "exists false: the whole parent missing",
      pattern: { detail: { level1: { level2: [{ exists: false }] } } },
      event: withDetail({}),
      matches: true,
    },
    {
      why: "exists true: ProductName present",
      pattern: productName,
      event: { ProductName: "Kite" },
      matches: true,
    },
    {
      why: "exists true: ProductName missing",
      pattern: productName,
      event: { Product: "Kite" },
      matches: false,
    },
    {
      why: "exists true: null is present",
      pattern: productName,
      event: { ProductName: null },
      matches: true,
    },
    {
      why: "exists true: an object is not a leaf",
      pattern: productName,
      event: { ProductName: { en: "Kite" } },
      matches: false,
    },
    {
      why: "exists true: an empty array has no leaf",
      pattern: productName,
      event: { ProductName: [] },
      matches: false,
    },
    {
      why: "exists true: one element of an array of objects has it",
      pattern: { automations: { id: [{ exists: true }] } },
      event: { automations: [{ key: "a" }, { id: "x" }] },
      matches: true,
    },
    {
      why: "exists false or another value: absent is enough",
      pattern: { detail: { state: [{ "anything-but": ["roses"] }, { exists: false }] } },
      event: withDetail({}),
      matches: true,
    },
    {
      why: "exists false or another value: present, so the value decides",
      pattern: { detail: { state: [{ "anything-but": ["roses"] }, { exists: false }] } },
      event: withDetail({ state: "roses" }),
      matches: false,
    },
  ]);
});

describe("$or", () => {
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-complex-example-or
  const anyCount = {
    detail: {
      $or: [
        { "c-count": [{ numeric: [">", 0, "<=", 5] }] },
        { "d-count": [{ numeric: ["<", 10] }] },
        { "x-limit": [{ numeric: ["=", 3.018e2] }] },
      ],
    },
  };
  const cloudwatch = {
    source: ["aws.cloudwatch"],
    $or: [{ metricName: ["CPUUtilization", "ReadLatency"] }, { namespace: ["AWS/EC2", "AWS/ES"] }],
  };
  const nested = {
    source: ["aws.cloudwatch"],
    $or: [
      { metricName: ["CPUUtilization"] },
      { metricType: ["MetricType"], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
    ],
  };
  specify([
    {
      why: "one alternative holds (d-count < 10)",
      pattern: anyCount,
      event: withDetail({ "c-count": 0, "d-count": 0, "x-limit": 901.8 }),
      matches: true,
    },
    {
      why: "no alternative holds",
      pattern: anyCount,
      event: withDetail({ "c-count": 0, "d-count": 10, "x-limit": 901.8 }),
      matches: false,
    },
    {
      why: "source and the first alternative",
      pattern: cloudwatch,
      event: { source: "aws.cloudwatch", metricName: "ReadLatency" },
      matches: true,
    },
    {
      why: "source and the second alternative",
      pattern: cloudwatch,
      event: { source: "aws.cloudwatch", namespace: "AWS/ES" },
      matches: true,
    },
    {
      why: "an alternative without the source",
      pattern: cloudwatch,
      event: { source: "aws.ec2", namespace: "AWS/ES" },
      matches: false,
    },
    {
      why: "Location is New York or Day is Monday",
      pattern: { $or: [{ Location: ["New York"] }, { Day: ["Monday"] }] },
      event: { Location: "Boston", Day: "Monday" },
      matches: true,
    },
    {
      why: "nested: the inner $or within an alternative",
      pattern: nested,
      event: { source: "aws.cloudwatch", metricType: "MetricType", spaceId: 1000 },
      matches: true,
    },
    {
      why: "nested: the inner $or alone is not enough",
      pattern: nested,
      event: { source: "aws.cloudwatch", spaceId: 1000 },
      matches: false,
    },
  ]);
});

describe("operators combined", () => {
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-complex-example
  const complex = {
    time: [{ prefix: "2017-10-02" }],
    detail: {
      state: [{ "anything-but": "initializing" }],
      "c-count": [{ numeric: [">", 0, "<=", 5] }],
      "d-count": [{ numeric: ["<", 10] }],
      "x-limit": [{ "anything-but": [100, 200, 300] }],
      "source-ip": [{ cidr: "10.0.0.0/8" }],
    },
  };
  const detail = { state: "running", "c-count": 5, "d-count": 3, "x-limit": 301.8, "source-ip": "10.0.0.33" };
  specify([
    {
      why: "the Event Ruler sample event matches",
      pattern: complex,
      event: withDetail(detail),
      matches: true,
    },
    {
      why: "an excluded x-limit fails the whole pattern",
      pattern: complex,
      event: withDetail({ ...detail, "x-limit": 300 }),
      matches: false,
    },
  ]);
});

describe("what the matcher refuses, by path", () => {
  test.each([
    [{}, "(pattern)", "an empty object matches nothing"],
    [
      { source: "webhooks.stripe" },
      "source",
      'must be an object or an array of values, got "webhooks.stripe"',
    ],
    [{ source: [] }, "source", "an empty list matches nothing"],
    [{ source: [["x"]] }, "source", "a value must be a string, number, true, false, null"],
    [{ source: [{ prefix: "a", suffix: "b" }] }, "source", "an operator object has exactly one key"],
    [{ source: [{ PREFIX: "a" }] }, "source", 'unknown operator "PREFIX"'],
    [{ source: [{ prefix: 1 }] }, "source", "prefix takes a string"],
    [{ source: [{ prefix: ["a"] }] }, "source", "prefix takes a string"],
    [{ source: [{ suffix: { "equals-ignore-case": 1 } }] }, "source", "suffix takes a string"],
    [{ source: [{ "equals-ignore-case": ["a"] }] }, "source", "equals-ignore-case takes a string"],
    [
      { key: [{ wildcard: "arn:aws:events:us-east-1:**:event-bus/*" }] },
      "key",
      "consecutive wildcard characters",
    ],
    [{ key: [{ wildcard: "a\\b" }] }, "key", "a backslash escapes only * and \\"],
    [{ key: [{ wildcard: 1 }] }, "key", "wildcard takes a string"],
    [{ state: [{ "anything-but": null }] }, "state", "anything-but takes a string, a number"],
    [{ state: [{ "anything-but": ["stopped", null] }] }, "state", "only strings or only numbers"],
    [{ state: [{ "anything-but": ["stopped", 1] }] }, "state", "only strings or only numbers"],
    [{ state: [{ "anything-but": { prefix: "" } }] }, "state", "anything-but prefix must not be empty"],
    [{ state: [{ "anything-but": { suffix: "" } }] }, "state", "anything-but suffix must not be empty"],
    [
      { state: [{ "anything-but": { prefix: { "equals-ignore-case": "a" } } }] },
      "state",
      "anything-but prefix takes a string or a non-empty list of strings",
    ],
    [{ state: [{ "anything-but": { exists: true } }] }, "state", 'anything-but does not take "exists"'],
    [{ state: [{ "anything-but": { wildcard: ["a**"] } }] }, "state", "anything-but wildcard: consecutive"],
    [{ n: [{ numeric: 10 }] }, "n", "numeric takes [op, number]"],
    [{ n: [{ numeric: [">", 0, "<"] }] }, "n", "numeric takes [op, number]"],
    [{ n: [{ numeric: [">", 0, ">", 5] }] }, "n", "numeric takes [op, number]"],
    [{ n: [{ numeric: ["<", 10, ">", 0] }] }, "n", "numeric takes [op, number]"],
    [{ n: [{ numeric: [">", 5, "<", 5] }] }, "n", "the lower bound 5 must be below the upper bound 5"],
    [{ n: [{ numeric: ["=", "5"] }] }, "n", "numeric: = needs a number"],
    [{ n: [{ numeric: ["!=", 5] }] }, "n", 'numeric: unknown operator "!="'],
    [{ n: [{ numeric: [">", 6e9] }] }, "n", "outside what EventBridge documents for numeric matching"],
    [{ n: [{ numeric: ["=", 0.0000001] }] }, "n", "at most 6 decimal places"],
    [{ n: [{ exists: "yes" }] }, "n", "exists takes true or false"],
    [{ ip: [{ cidr: "bad-filter" }] }, "ip", "is not a CIDR block"],
    [{ ip: [{ cidr: "xx.11.xx/8" }] }, "ip", 'xx.11.xx in "xx.11.xx/8" is not an IPv4 or IPv6 address'],
    [{ ip: [{ cidr: "10.0.0.1/32" }] }, "ip", "IPv4 mask bits must be 0..31, got 32"],
    [{ ip: [{ cidr: "2001:db8::/128" }] }, "ip", "IPv6 mask bits must be 0..127"],
    [{ ip: [{ cidr: 10 }] }, "ip", "cidr takes a string"],
    [{ $or: [{ a: ["x"] }] }, "$or", "$or takes a list of at least two objects"],
    [{ detail: { $or: { a: ["x"] } } }, "detail.$or", "$or takes a list of at least two objects"],
    [{ $or: [{ numeric: ["x"] }, { b: ["y"] }] }, "numeric", "inside $or it cannot be a field name"],
    [{ $or: [{ a: ["x"] }, {}] }, "(pattern)", "an empty object matches nothing"],
    [
      { detail: { "state.status": ["a"], state: { status: ["b"] } } },
      "detail.state.status",
      "the field is given twice",
    ],
    [{ source: ["x".repeat(2040)] }, "(pattern)", "over EventBridge's 2048-character event pattern quota"],
  ])("%j → %s: %s", (pattern, path, message) => {
    const problems = patternProblems(pattern);

    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe(path);
    expect(problems[0]!.message).toContain(message);
  });

  test.each([[null], [[]], ["{}"]])("%j is not a pattern", (pattern) => {
    expect(patternProblems(pattern)).toEqual([
      { path: "(pattern)", message: "an event pattern is a JSON object" },
    ]);
  });

  test("a route's pattern with only supported operators has no problem", () => {
    const route = { source: ["webhooks.stripe"], "detail-type": [{ prefix: "payment_intent." }] };

    expect(patternProblems(route)).toEqual([]);
  });

  test("compilePattern refuses with every problem named, never a pattern that silently mismatches", () => {
    const pattern = { source: [{ prefix: 1 }], detail: { amount: [{ numeric: [">", 9e9] }] } };

    const refusal = (() => {
      try {
        compilePattern(pattern);
      } catch (error) {
        return error;
      }
      return undefined;
    })();

    expect(refusal).toBeInstanceOf(UnsupportedPatternError);
    expect((refusal as UnsupportedPatternError).problems.map((problem) => problem.path)).toEqual([
      "source",
      "detail.amount",
    ]);
    expect((refusal as Error).message).toMatch(
      /^the event pattern cannot be evaluated: source: prefix takes a string .*; detail\.amount: numeric: 9000000000 is outside/,
    );
  });
});
