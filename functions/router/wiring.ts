import { FunctionEnv } from "@webhooks/shared";
import { type RouterConfig, requiredEnv, routerConfigFromEnv } from "./config";
import { createRouterHandler, type RouterDeps } from "./handler";

/** Everything the handler uses besides its configuration: where the deployed and the local router differ. */
export type RouterAdapters = Omit<RouterDeps, "config">;

/** What the adapters are made for: the router's configuration and its table. */
export interface RouterSettings {
  readonly config: RouterConfig;
  readonly tableName: string;
}

/**
 * The router as every runtime builds it: the configuration read from the function's environment,
 * then the handler over adapters made for it. The Lambda (index.ts) passes the AWS SDK adapters,
 * `webhooks dev` local ones; the handler is the same.
 *
 * @example routerFromEnvironment(process.env, ({ tableName }) => ({ records: dynamoRecordStore(client, tableName, …), … }))
 */
export function routerFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  adapters: (settings: RouterSettings) => RouterAdapters,
): ReturnType<typeof createRouterHandler> {
  const settings = {
    tableName: requiredEnv(env, FunctionEnv.tableName),
    config: routerConfigFromEnv(env),
  };
  return createRouterHandler({ config: settings.config, ...adapters(settings) });
}
