import { ListRulesCommand, ListTagsForResourceCommand } from "@aws-sdk/client-eventbridge";
import { ListQueuesCommand, ListQueueTagsCommand } from "@aws-sdk/client-sqs";
import { ListenTag, STALE_AFTER_MS } from "./names";
import { isGone, type ListenClients, type ListenResources } from "./resources";

/** A listen session found on the bus: its resources, tags and when it was last alive. */
export interface FoundSession {
  readonly id: string;
  readonly listensFor: string | undefined;
  /** Epoch ms of the latest heartbeat (or start) on any of its resources; undefined when unreadable. */
  readonly lastAlive: number | undefined;
  readonly resources: ListenResources;
}

/**
 * Every listen session whose rule is on this bus or whose queue says it listened to this bus: rules
 * by name prefix, then only those carrying the listen tags (another tool's resource with a similar
 * name is never touched). A session killed between creating its rule and its queue has only one.
 */
export async function findSessions(
  clients: ListenClients,
  busName: string,
  prefix: string,
): Promise<FoundSession[]> {
  const sessions = new Map<string, { tags: Array<Record<string, string>>; resources: ListenResources }>();
  const add = (name: string, tags: Record<string, string>, resource: Partial<ListenResources>) => {
    const id = tags[ListenTag.session]!;
    const session = sessions.get(id) ?? { tags: [], resources: { name } };
    session.tags.push(tags);
    Object.assign(session.resources, resource);
    sessions.set(id, session);
  };

  let NextToken: string | undefined;
  do {
    const page = await clients.events.send(
      new ListRulesCommand({ EventBusName: busName, NamePrefix: prefix, NextToken }),
    );
    for (const rule of page.Rules ?? []) {
      if (!rule.Name || !rule.Arn) continue;
      const listed = await unlessGone(
        clients.events.send(new ListTagsForResourceCommand({ ResourceARN: rule.Arn })),
      );
      const tags = Object.fromEntries((listed?.Tags ?? []).map((tag) => [tag.Key, tag.Value]));
      if (tags[ListenTag.session]) add(rule.Name, tags, { ruleArn: rule.Arn });
    }
    NextToken = page.NextToken;
  } while (NextToken);

  do {
    const page = await clients.sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 1000, NextToken }),
    );
    for (const url of page.QueueUrls ?? []) {
      const listed = await unlessGone(clients.sqs.send(new ListQueueTagsCommand({ QueueUrl: url })));
      const Tags = listed?.Tags ?? {};
      if (Tags[ListenTag.session] && Tags[ListenTag.bus] === busName) {
        add(url.slice(url.lastIndexOf("/") + 1), Tags, { queueUrl: url });
      }
    }
    NextToken = page.NextToken;
  } while (NextToken);

  return [...sessions].map(([id, { tags, resources }]) => {
    const times = tags
      .flatMap((tag) => [tag[ListenTag.heartbeat], tag[ListenTag.started]])
      .map((time) => (time ? Date.parse(time) : Number.NaN))
      .filter((time) => !Number.isNaN(time));
    return {
      id,
      listensFor: tags.find((tag) => tag[ListenTag.listensFor])?.[ListenTag.listensFor],
      lastAlive: times.length > 0 ? Math.max(...times) : undefined,
      resources,
    };
  });
}

/** The answer, or undefined when the resource went away since it was listed (another session removed it). */
async function unlessGone<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
}

/** A session that has not renewed its heartbeat for {@link STALE_AFTER_MS}: its process is gone. */
export function isStale(session: FoundSession, now: number): boolean {
  return session.lastAlive === undefined || now - session.lastAlive > STALE_AFTER_MS;
}

/** `session 0badcafe (route payments), last alive 2025-01-31T11:40:00.000Z (20 min ago): rule …, queue …` */
export function describeSession(session: FoundSession, now: number): string {
  const resources = [
    session.resources.ruleArn ? `rule ${session.resources.name}` : undefined,
    session.resources.queueUrl ? `queue ${session.resources.name}` : undefined,
  ].filter(Boolean);
  const alive =
    session.lastAlive === undefined
      ? "no readable heartbeat"
      : `last alive ${new Date(session.lastAlive).toISOString()} (${ago(now - session.lastAlive)})`;
  const listensFor = session.listensFor ? ` (${session.listensFor})` : "";
  return `session ${session.id}${listensFor}, ${alive}: ${resources.join(", ")}`;
}

function ago(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds < 120 ? `${seconds} s ago` : `${Math.round(seconds / 60)} min ago`;
}
