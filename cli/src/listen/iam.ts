/** Where the listen resources live, as far as known; placeholders stand in for the rest. */
export interface IamScope {
  readonly region?: string | undefined;
  readonly account?: string | undefined;
  readonly busName?: string | undefined;
  /** `whk-dev-listen-`: the head of every listen rule and queue name. */
  readonly prefix?: string | undefined;
}

/**
 * The permissions `webhooks listen` uses, scoped to its own rules and queues. No `events:PutEvents`
 * (the bus policy restricts only that) and no KMS (the temporary queue uses SSE-SQS).
 *
 * @example listenIam({ region: "us-east-1", busName: "whk-dev-bus", prefix: "whk-dev-listen-" })
 */
export function listenIam(scope: IamScope = {}): string {
  const region = scope.region ?? "<region>";
  const account = scope.account ?? "<account>";
  const bus = scope.busName ?? "<bus>";
  const prefix = scope.prefix ?? "<base>-listen-";
  return [
    "events:PutRule, events:PutTargets, events:RemoveTargets, events:DeleteRule,",
    "events:ListTargetsByRule, events:TagResource, events:ListTagsForResource",
    `    on arn:aws:events:${region}:${account}:rule/${bus}/${prefix}*`,
    "events:ListRules on *",
    "sqs:CreateQueue, sqs:SetQueueAttributes, sqs:TagQueue, sqs:ListQueueTags,",
    "sqs:ReceiveMessage, sqs:DeleteMessage, sqs:DeleteQueue",
    `    on arn:aws:sqs:${region}:${account}:${prefix}*`,
    "sqs:ListQueues on *",
  ].join("\n");
}
