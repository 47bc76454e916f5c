import {
  Config,
  ConfigReader,
  readDurationFromConfig,
} from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import {
  POLICY_EFFECTS,
  PolicyEffect,
  RUN_KINDS,
  RunKind,
  parseOwnerRef,
} from '@provisionhub/plugin-provisionhub-common';
import semver from 'semver';
import { lowerRef } from './lowerRef';
import { ValueCondition, parseValueCondition } from './valueCondition';

/**
 * What a rule matches on; every condition given must hold, and a list matches any of its items.
 * @internal
 */
export interface PolicyConditions {
  kind?: RunKind[];
  blueprintName?: string[];
  blueprintType?: string[];
  /** A semver range, e.g. `>=2.0.0`. */
  blueprintVersion?: string;
  owner?: string[];
  system?: string[];
  environment?: string[];
  requesterGroups?: string[];
  values: ValueCondition[];
}

/** @internal */
export interface PolicyRule {
  id: string;
  description: string;
  effect: PolicyEffect;
  reason: string;
  when: PolicyConditions;
  approval?: { groups: string[]; count: number; expiresAfterMs?: number };
}

/** @internal */
export interface PolicyConfig {
  /** The effect when no rule matches. */
  defaultEffect: 'allow' | 'deny';
  /** Requesters may only name their own groups as owner and add components to their systems. */
  enforceOwnership: boolean;
  rules: PolicyRule[];
}

const CONDITION_KEYS = [
  'kind',
  'blueprint',
  'owner',
  'system',
  'environment',
  'requesterGroups',
  'values',
];
const BLUEPRINT_KEYS = ['name', 'type', 'version'];
const RULE_ID = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** A config value that may be one string or a list of them. */
function stringList(config: Config, key: string): string[] | undefined {
  if (!config.has(key)) {
    return undefined;
  }
  const value = config.getOptional(key);
  return typeof value === 'string' ? [value] : config.getStringArray(key);
}

function groupRefs(config: Config, key: string, where: string) {
  return stringList(config, key)?.map(ref => {
    const parsed = parseOwnerRef(ref);
    if (!parsed.ok) {
      throw new Error(`${where}.${key}: ${parsed.message}`);
    }
    return lowerRef(parsed.ref);
  });
}

function checkKeys(config: Config, allowed: string[], where: string) {
  const unknown = config.keys().filter(key => !allowed.includes(key));
  if (unknown.length) {
    throw new Error(
      `${where} has unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(
        ', ',
      )}; expected ${allowed.join(', ')}`,
    );
  }
}

function readConditions(rule: Config, where: string): PolicyConditions {
  const when = rule.getOptionalConfig('when') ?? new ConfigReader({});
  const at = `${where}.when`;
  checkKeys(when, CONDITION_KEYS, at);
  const kind = stringList(when, 'kind');
  for (const k of kind ?? []) {
    if (!(RUN_KINDS as readonly string[]).includes(k)) {
      throw new Error(
        `${at}.kind: '${k}' is not one of ${RUN_KINDS.join(', ')}`,
      );
    }
  }
  const blueprint = when.getOptionalConfig('blueprint');
  if (blueprint) {
    checkKeys(blueprint, BLUEPRINT_KEYS, `${at}.blueprint`);
  }
  const version = blueprint?.getOptionalString('version');
  if (version !== undefined && semver.validRange(version) === null) {
    throw new Error(
      `${at}.blueprint.version: '${version}' is not a semver range, e.g. '>=2.0.0' or '1.x'`,
    );
  }
  return {
    kind: kind as RunKind[] | undefined,
    blueprintName: blueprint && stringList(blueprint, 'name'),
    blueprintType: blueprint && stringList(blueprint, 'type'),
    blueprintVersion: version,
    owner: groupRefs(when, 'owner', at),
    system: stringList(when, 'system'),
    environment: stringList(when, 'environment'),
    requesterGroups: groupRefs(when, 'requesterGroups', at),
    values: (stringList(when, 'values') ?? []).map(text => {
      try {
        return parseValueCondition(text);
      } catch (e) {
        throw new Error(`${at}.values: ${(e as Error).message}`);
      }
    }),
  };
}

function readApproval(rule: Config, where: string): PolicyRule['approval'] {
  const approval = rule.getOptionalConfig('approval');
  const at = `${where}.approval`;
  if (approval) {
    checkKeys(approval, ['groups', 'count', 'expiresAfter'], at);
  }
  const count = approval?.getOptionalNumber('count') ?? 1;
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`${at}.count must be a whole number of at least 1`);
  }
  let expiresAfterMs: number | undefined;
  if (approval?.has('expiresAfter')) {
    try {
      expiresAfterMs = durationToMilliseconds(
        readDurationFromConfig(approval, { key: 'expiresAfter' }),
      );
    } catch (e) {
      throw new Error(
        `${at}.expiresAfter: ${
          (e as Error).message
        }; write e.g. 7d, P7D or { days: 7 }`,
      );
    }
    if (!(expiresAfterMs > 0)) {
      throw new Error(`${at}.expiresAfter must be longer than zero`);
    }
  }
  return {
    groups: groupRefs(approval ?? new ConfigReader({}), 'groups', at) ?? [],
    count,
    expiresAfterMs,
  };
}

function readRule(rule: Config, index: number, seen: Set<string>): PolicyRule {
  const where = `provisionhub.policy.rules[${index}]`;
  checkKeys(
    rule,
    ['id', 'description', 'when', 'effect', 'reason', 'approval'],
    where,
  );
  const id = rule.getString('id');
  if (!RULE_ID.test(id)) {
    throw new Error(
      `${where}.id '${id}' must be lowercase letters, digits, '.', '_' or '-' (at most 63)`,
    );
  }
  if (seen.has(id)) {
    throw new Error(`${where}.id '${id}' is used by another rule`);
  }
  seen.add(id);
  const effect = rule.getString('effect') as PolicyEffect;
  if (!POLICY_EFFECTS.includes(effect)) {
    throw new Error(
      `${where}.effect '${effect}' is not one of ${POLICY_EFFECTS.join(', ')}`,
    );
  }
  if (effect !== 'require-approval' && rule.has('approval')) {
    throw new Error(
      `${where}.approval only applies to effect require-approval, not ${effect}`,
    );
  }
  const description = rule.getString('description');
  return {
    id,
    description,
    effect,
    reason: rule.getOptionalString('reason') ?? description,
    when: readConditions(rule, where),
    approval:
      effect === 'require-approval' ? readApproval(rule, where) : undefined,
  };
}

/**
 * Reads `provisionhub.policy` (schema in config.d.ts).
 * @throws Error naming the config key that is wrong and what it should be
 * @internal
 */
export function readPolicyConfig(config: Config): PolicyConfig {
  const policy = config.getOptionalConfig('provisionhub.policy');
  if (config.has('provisionhub.approval')) {
    throw new Error(
      'provisionhub.approval was replaced by provisionhub.policy.rules: write one rule with effect require-approval per list entry (see the provisionhub-backend README, "Policy rules")',
    );
  }
  const defaultEffect = policy?.getOptionalString('default') ?? 'allow';
  if (defaultEffect !== 'allow' && defaultEffect !== 'deny') {
    throw new Error(
      `provisionhub.policy.default '${defaultEffect}' must be allow or deny`,
    );
  }
  const seen = new Set<string>();
  return {
    defaultEffect,
    enforceOwnership: policy?.getOptionalBoolean('ownership.enforce') ?? true,
    rules: (policy?.getOptionalConfigArray('rules') ?? []).map((rule, i) =>
      readRule(rule, i, seen),
    ),
  };
}
