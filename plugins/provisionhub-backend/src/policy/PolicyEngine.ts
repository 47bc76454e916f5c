import type { JsonObject } from '@backstage/types';
import type {
  ApprovalRequirement,
  PolicyDecision,
  PolicyRuleResult,
  RunKind,
} from '@provisionhub/plugin-provisionhub-common';
import semver from 'semver';
import { lowerRef } from './lowerRef';
import type { PolicyConfig, PolicyRule } from './readPolicyConfig';
import { testValueCondition } from './valueCondition';

/**
 * Everything a rule can look at: the request after validation, and who asked.
 * @internal
 */
export interface PolicyFacts {
  kind: RunKind;
  blueprint: { name: string; type: string; version: string };
  owner: string;
  system?: string;
  environment?: string;
  values: JsonObject;
  requester: RequesterFacts;
  /** Owner of the system a component joins, when known. */
  systemOwner?: string;
}

/** @internal */
export interface RequesterFacts {
  ref: string;
  /** Groups the requester belongs to (entity refs, lowercase). */
  groups: string[];
  /** Holds `provisionhub.admin`: the ownership checks do not apply. */
  isAdmin: boolean;
}

/** Ids of the built-in rules; configured ids cannot look like them (no ':'). */
export const OWNER_RULE_ID = 'provisionhub:owner-membership';
export const SYSTEM_RULE_ID = 'provisionhub:system-ownership';

const any = (list: string[] | undefined, value: string | undefined) =>
  !list || (value !== undefined && list.includes(value));

function matches(rule: PolicyRule, facts: PolicyFacts): boolean {
  const { when } = rule;
  return (
    any(when.kind, facts.kind) &&
    any(when.blueprintName, facts.blueprint.name) &&
    any(when.blueprintType, facts.blueprint.type) &&
    (!when.blueprintVersion ||
      semver.satisfies(facts.blueprint.version, when.blueprintVersion, {
        includePrerelease: true,
      })) &&
    any(when.owner, lowerRef(facts.owner)) &&
    any(when.system, facts.system) &&
    any(when.environment, facts.environment) &&
    (!when.requesterGroups ||
      when.requesterGroups.some(group =>
        facts.requester.groups.includes(group),
      )) &&
    when.values.every(condition => testValueCondition(condition, facts.values))
  );
}

/**
 * Evaluates the configured rules, plus the built-in ownership checks, for one request.
 * Deny wins over require-approval, which wins over allow; with no matching rule the
 * configured default applies.
 * @internal
 */
export class PolicyEngine {
  readonly #config: PolicyConfig;

  constructor(config: PolicyConfig) {
    this.#config = config;
  }

  evaluate(facts: PolicyFacts): PolicyDecision {
    const matched = this.#config.rules.filter(rule => matches(rule, facts));
    const rules: PolicyRuleResult[] = [
      ...this.#ownershipDenials(facts),
      ...matched.map(rule => ({
        id: rule.id,
        description: rule.description,
        effect: rule.effect,
        reason: rule.reason,
      })),
    ];
    if (rules.some(rule => rule.effect === 'deny')) {
      return { decision: 'deny', rules };
    }
    const requirements: ApprovalRequirement[] = matched
      .filter(rule => rule.approval)
      .map(({ id, approval }) => ({
        rule: id,
        groups: approval!.groups,
        count: approval!.count,
        ...(approval!.expiresAfterMs
          ? { expiresAfterMs: approval!.expiresAfterMs }
          : {}),
      }));
    if (requirements.length) {
      return {
        decision: 'require-approval',
        rules,
        approvers: {
          groups: [...new Set(requirements.flatMap(r => r.groups))],
          count: Math.max(...requirements.map(r => r.count)),
          requirements,
        },
      };
    }
    if (!rules.length && this.#config.defaultEffect === 'deny') {
      return {
        decision: 'deny',
        rules: [
          {
            id: 'provisionhub:default',
            description: 'Requests that no rule allows are denied',
            effect: 'deny',
            reason:
              'no policy rule allows this request (provisionhub.policy.default is deny)',
          },
        ],
      };
    }
    return { decision: 'allow', rules };
  }

  #ownershipDenials(facts: PolicyFacts): PolicyRuleResult[] {
    const { requester } = facts;
    if (!this.#config.enforceOwnership || requester.isAdmin) {
      return [];
    }
    const mine = (ref: string) =>
      lowerRef(ref) === lowerRef(requester.ref) ||
      requester.groups.includes(lowerRef(ref));
    const denials: PolicyRuleResult[] = [];
    if (!mine(facts.owner)) {
      denials.push({
        id: OWNER_RULE_ID,
        description: 'Requesters name one of their own groups as owner',
        effect: 'deny',
        reason: `you are not a member of ${
          facts.owner
        }; name a group you belong to (${
          requester.groups.join(', ') || 'you belong to none'
        }) or ask someone with provisionhub.admin`,
      });
    }
    if (facts.systemOwner && !mine(facts.systemOwner)) {
      denials.push({
        id: SYSTEM_RULE_ID,
        description:
          "Requesters add components only to their own groups' systems",
        effect: 'deny',
        reason: `system ${facts.system} is owned by ${facts.systemOwner}, and you are not a member; ask a member of ${facts.systemOwner}`,
      });
    }
    return denials;
  }
}
