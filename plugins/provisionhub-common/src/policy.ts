/**
 * What policy says about a request. Evaluation order: any matching `deny` rule denies; otherwise
 * any matching `require-approval` rule holds the run for approval; otherwise it is allowed.
 * @public
 */
export const POLICY_EFFECTS = ['allow', 'require-approval', 'deny'] as const;

/** @public */
export type PolicyEffect = (typeof POLICY_EFFECTS)[number];

/**
 * A rule that matched a request, as shown to the requester and the approvers.
 * @public
 */
export interface PolicyRuleResult {
  id: string;
  description: string;
  effect: PolicyEffect;
  /** Why the rule applies, in words meant for the requester. */
  reason: string;
}

/**
 * Approvals one `require-approval` rule asks for: `count` distinct people, each a member of one
 * of `groups` (anyone allowed to approve when `groups` is empty), within `expiresAfterMs`.
 * @public
 */
export interface ApprovalRequirement {
  rule: string;
  groups: string[];
  count: number;
  expiresAfterMs?: number;
}

/**
 * The outcome of evaluating the policy rules for one request. Stored on the run and answered
 * by `POST /policy/evaluate`.
 * @public
 */
export interface PolicyDecision {
  decision: PolicyEffect;
  /** The rules that matched, in the order they are configured. */
  rules: PolicyRuleResult[];
  /**
   * Who must approve, for `require-approval`: every requirement must be met. `groups` and
   * `count` summarise them (all groups named; the largest count).
   */
  approvers?: {
    groups: string[];
    count: number;
    requirements: ApprovalRequirement[];
  };
}

/**
 * One person's approval of a run, with their comment.
 * @public
 */
export interface RunApproval {
  approver: string;
  at: string;
  comment?: string;
  /** The requirements (rule ids) this approval counted for. */
  rules: string[];
}

/**
 * Describes a decision in one sentence, e.g. "needs 2 approvals from group:default/dba-team
 * because rule large-databases: storage over 100 GB".
 * @public
 */
export function describePolicyDecision(decision: PolicyDecision): string {
  const because = (effect: PolicyEffect) =>
    decision.rules
      .filter(rule => rule.effect === effect)
      .map(rule => `rule ${rule.id}: ${rule.reason}`)
      .join('; ');
  switch (decision.decision) {
    case 'deny':
      return `denied because ${because('deny')}`;
    case 'require-approval':
      return `${(decision.approvers?.requirements ?? [])
        .map(describeRequirement)
        .join(' and ')} because ${because('require-approval')}`;
    default:
      return decision.rules.length
        ? `allowed because ${because('allow')}`
        : 'allowed: no policy rule matched';
  }
}

function describeRequirement(requirement: ApprovalRequirement): string {
  const approvals = `${requirement.count} approval${
    requirement.count === 1 ? '' : 's'
  }`;
  return requirement.groups.length
    ? `needs ${approvals} from ${requirement.groups.join(' or ')}`
    : `needs ${approvals}`;
}
