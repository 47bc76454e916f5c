import type { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/** @internal */
export interface PolicyDecision {
  status: 'queued' | 'awaiting_approval';
  reason: string;
}

/**
 * The `provisionhub.approval` rules: a run whose blueprint or owner is listed waits for a person
 * with `provisionhub.run.approve`; every other run is queued at once.
 * @internal
 */
export class ApprovalPolicy {
  static fromConfig(config: Config): ApprovalPolicy {
    const approval = config.getOptionalConfig('provisionhub.approval');
    const refs = (key: string) =>
      (approval?.getOptionalStringArray(key) ?? []).map(ref =>
        stringifyEntityRef(
          parseEntityRef(ref, {
            defaultKind: 'group',
            defaultNamespace: 'default',
          }),
        ),
      );
    return new ApprovalPolicy(
      approval?.getOptionalStringArray('blueprints') ?? [],
      refs('owners'),
      refs('approvers'),
    );
  }

  readonly #blueprints: ReadonlySet<string>;
  readonly #owners: ReadonlySet<string>;
  /** Who is notified when a run waits for approval. */
  readonly approvers: readonly string[];

  constructor(
    blueprints: string[],
    owners: string[],
    approvers: string[] = [],
  ) {
    this.#blueprints = new Set(blueprints);
    this.#owners = new Set(owners);
    this.approvers = approvers;
  }

  decide(run: { blueprint: { name: string }; owner: string }): PolicyDecision {
    if (this.#blueprints.has(run.blueprint.name)) {
      return {
        status: 'awaiting_approval',
        reason: `blueprint '${run.blueprint.name}' needs approval (provisionhub.approval.blueprints)`,
      };
    }
    if (this.#owners.has(run.owner)) {
      return {
        status: 'awaiting_approval',
        reason: `runs owned by ${run.owner} need approval (provisionhub.approval.owners)`,
      };
    }
    return { status: 'queued', reason: 'no approval rule matched' };
  }
}
