import { loadConfig, type ValidatorConfig } from "./config";
import { createValidatorHandler, type ValidatorDeps, type ValidatorHandler } from "./handler";

/** Everything the handler uses besides its configuration: where the deployed and the local validator differ. */
export type ValidatorAdapters = Omit<ValidatorDeps, "config">;

/**
 * The validator as every runtime builds it: the configuration read from the function's environment
 * and its providers (the text of `providers.json`) by {@link loadConfig}, then the handler over
 * adapters made for that configuration. The Lambda (index.ts) passes the AWS SDK adapters and its
 * package's file, `webhooks dev` local adapters and the providers it derives from the
 * configuration; the handler is the same.
 *
 * @example validatorFromEnvironment(process.env, readProvidersFile(__dirname), (config) => ({ store: createDynamoDbStore(client, config.tableName), … }))
 */
export function validatorFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  providersJson: string,
  adapters: (config: ValidatorConfig) => ValidatorAdapters,
): ValidatorHandler {
  const config = loadConfig(env, providersJson);
  return createValidatorHandler({ config, ...adapters(config) });
}
