import { runEsm } from "../../../support/esm-child";

/** @octokit/webhooks-methods as an oracle (ESM-only: it runs in a child process, one per batch). */
export interface OctokitBatch {
  readonly sign?: readonly { secret: string; payload: string }[];
  readonly verify?: readonly { secret: string; payload: string; signature: string }[];
}

export interface OctokitResults {
  readonly sign: string[];
  readonly verify: boolean[];
}

export function runOctokit(batch: OctokitBatch): OctokitResults {
  return runEsm<OctokitResults>(
    'import { sign, verify } from "@octokit/webhooks-methods";',
    `return {
  sign: await Promise.all((input.sign ?? []).map((c) => sign(c.secret, c.payload))),
  verify: await Promise.all((input.verify ?? []).map((c) => verify(c.secret, c.payload, c.signature))),
};`,
    batch,
  );
}
