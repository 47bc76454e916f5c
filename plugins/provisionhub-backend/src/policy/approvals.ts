import { ConflictError, NotAllowedError } from '@backstage/errors';
import type {
  ApprovalRequirement,
  RunApproval,
} from '@provisionhub/plugin-provisionhub-common';
import type { RunRecord } from '../database/RunStore';
import { lowerRef } from './lowerRef';

/** A person acting on a run's approval, with the groups the catalog gives them. */
export interface Approver {
  ref: string;
  groups: string[];
}

/**
 * The approvals a run waits for. Runs held before policy rules existed carry no requirements:
 * they need one approval from anyone allowed to approve.
 */
export function requirementsOf(run: RunRecord): ApprovalRequirement[] {
  return (
    run.policy?.approvers?.requirements ?? [
      { rule: 'approval', groups: [], count: 1 },
    ]
  );
}

function eligible(requirement: ApprovalRequirement, approver: Approver) {
  return (
    requirement.groups.length === 0 ||
    requirement.groups.some(group => approver.groups.includes(lowerRef(group)))
  );
}

function given(requirement: ApprovalRequirement, approvals: RunApproval[]) {
  return approvals.filter(a => a.rules.includes(requirement.rule)).length;
}

/** Requirements that still need approvals, with how many each still needs. */
export function missingApprovals(
  requirements: ApprovalRequirement[],
  approvals: RunApproval[],
): Array<ApprovalRequirement & { missing: number }> {
  return requirements
    .map(r => ({ ...r, missing: r.count - given(r, approvals) }))
    .filter(r => r.missing > 0);
}

function describeGroups(requirements: ApprovalRequirement[]) {
  return [...new Set(requirements.flatMap(r => r.groups))].join(' or ');
}

/**
 * Why `approver` may not approve or reject the run, or undefined when they may. Approving also
 * needs a requirement that is still open and that they qualify for.
 */
export function approvalBlocker(
  run: RunRecord,
  approvals: RunApproval[],
  approver: Approver,
  action: 'approve' | 'reject',
): NotAllowedError | ConflictError | undefined {
  if (lowerRef(approver.ref) === lowerRef(run.requestedBy)) {
    return new NotAllowedError(
      `you requested run ${run.id}, so you cannot ${action} it; another member of the approver groups must`,
    );
  }
  const requirements = requirementsOf(run);
  const mine = requirements.filter(r => eligible(r, approver));
  if (!mine.length) {
    return new NotAllowedError(
      `${action === 'approve' ? 'approving' : 'rejecting'} run ${
        run.id
      } needs a member of ${describeGroups(
        requirements,
      )}; you are not a member of any of them`,
    );
  }
  if (action === 'reject') {
    return undefined;
  }
  if (approvals.some(a => lowerRef(a.approver) === lowerRef(approver.ref))) {
    return new ConflictError(
      `you already approved run ${run.id}; it is waiting for approvals from other people`,
    );
  }
  if (!missingApprovals(mine, approvals).length) {
    return new ConflictError(
      `the approvals your groups can give for run ${
        run.id
      } are complete; it is waiting for ${describeGroups(
        missingApprovals(requirements, approvals),
      )}`,
    );
  }
  return undefined;
}

/** The requirements an approval by `approver` counts for now. */
export function rulesApprovedBy(
  run: RunRecord,
  approvals: RunApproval[],
  approver: Approver,
): string[] {
  return missingApprovals(
    requirementsOf(run).filter(r => eligible(r, approver)),
    approvals,
  ).map(r => r.rule);
}

/** When the wait for approval ends: the shortest expiry of the requirements, from `from`. */
export function approvalDeadline(
  run: RunRecord,
  from: string,
): string | undefined {
  const limits = requirementsOf(run)
    .map(r => r.expiresAfterMs)
    .filter((ms): ms is number => ms !== undefined);
  return limits.length
    ? new Date(Date.parse(from) + Math.min(...limits)).toISOString()
    : undefined;
}
