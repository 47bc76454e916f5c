import {
  Run,
  describePolicyDecision,
  describeRunFailure,
  formatDuration,
} from '@provisionhub/plugin-provisionhub-common';
import type { Output } from './output';

const STEP_MARKS: Record<string, string> = {
  pending: '·',
  running: '▸',
  succeeded: '✔',
  skipped: '↷',
  failed: '✖',
  cancelled: '⊘',
};

/**
 * `component payments-api (system payments) from node-backend@1.1.0`, for an upgrade
 * `upgrade of component payments-api (system payments) from node-backend@1.0.0 to 1.1.0`, for a
 * decommission `decommission of component:default/payments-api (system payments), node-backend@1.1.0`,
 * for a promotion `promotion of component payments-api (system payments) from staging to
 * production, version 4f2a9c1`.
 */
export function describeRunSubject(run: Run): string {
  if (run.kind === 'decommission') {
    const system =
      run.entityRef.startsWith('component:') && run.system
        ? ` (system ${run.system})`
        : '';
    return `decommission of ${run.entityRef}${system}, ${run.blueprint.name}@${run.blueprint.version}`;
  }
  if (run.promotion) {
    return `promotion of component ${run.name}${
      run.system ? ` (system ${run.system})` : ''
    } from ${run.promotion.from} to ${run.promotion.to}, version ${
      run.promotion.version
    }`;
  }
  if (run.upgrade) {
    return `upgrade of component ${run.name}${
      run.system ? ` (system ${run.system})` : ''
    } from ${run.upgrade.from.name}@${run.upgrade.from.version} to ${
      run.blueprint.version
    }`;
  }
  const system =
    run.kind === 'component' && run.system ? ` (system ${run.system})` : '';
  return `${run.kind} ${run.name}${system} from ${run.blueprint.name}@${run.blueprint.version}`;
}

/** The status, coloured for people. */
export function styledStatus(out: Output, run: Run): string {
  switch (run.status) {
    case 'succeeded':
      return out.style.green(run.status);
    case 'failed':
    case 'rejected':
      return out.style.red(run.status);
    case 'awaiting_approval':
    case 'cancelled':
      return out.style.yellow(run.status);
    default:
      return out.style.cyan(run.status);
  }
}

function mayApprove(run: Run): string | undefined {
  if (run.canApprove === undefined) {
    return undefined;
  }
  return run.canApprove
    ? 'yes'
    : `no: ${run.approvalBlockedReason ?? 'not allowed'}`;
}

/** The lines `runs get` prints for one run. */
export function printRun(out: Output, run: Run) {
  out.info(`${out.style.bold(`Run ${run.id}`)}  ${describeRunSubject(run)}`);
  out.fields([
    ['Status', styledStatus(out, run)],
    ['Owner', run.owner],
    ['Entity', run.entityRef],
    ['Environment', run.environment],
    [
      'Blueprint',
      `${run.blueprint.name}@${run.blueprint.version} (${run.blueprint.digest})`,
    ],
    ['Requested', `by ${run.requestedBy} at ${run.createdAt}`],
    ['Attempt', String(run.attempt)],
    ['Policy', run.policy ? describePolicyDecision(run.policy) : undefined],
    [
      'Approvals',
      run.approvals?.length
        ? run.approvals
            .map(
              a =>
                `${a.approver} at ${a.at}${
                  a.comment ? ` ("${a.comment}")` : ''
                }`,
            )
            .join('; ')
        : undefined,
    ],
    ['You may approve', mayApprove(run)],
    ['Why', describeRunFailure(run)],
    [
      'Repository',
      run.outputs
        ? `${run.outputs.repoUrl} (${run.outputs.defaultBranch})`
        : undefined,
    ],
    ['Finished', run.finishedAt],
  ]);
  if (run.steps?.length) {
    out.info();
    out.info(out.style.bold('Steps'));
    for (const step of run.steps) {
      const took =
        step.durationMs !== undefined
          ? `  ${formatDuration(step.durationMs)}`
          : '';
      const problem = step.error ? `: ${step.error}` : '';
      out.info(
        `  ${STEP_MARKS[step.status] ?? '?'} ${step.title} (${step.id}) ${
          step.status
        }${took}${problem}`,
      );
    }
  }
  if (run.history?.length) {
    out.info();
    out.info(out.style.bold('History'));
    for (const change of run.history) {
      out.info(
        `  ${change.at}  ${change.status} by ${change.actor}${
          change.reason ? `: ${change.reason}` : ''
        }`,
      );
    }
  }
}

/**
 * After following a run: what it created, or why it did not succeed (its progress already said
 * that it ended).
 */
export function printRunOutcome(out: Output, run: Run) {
  const failure = describeRunFailure(run);
  if (failure) {
    out.error(out.style.red(failure));
    return;
  }
  if (run.outputs) {
    out.fields([
      ['Repository', run.outputs.repoUrl],
      ['Branch', run.outputs.branch ?? run.outputs.defaultBranch],
      ['Merge request', run.outputs.mergeRequestUrl],
      ['Entity', run.outputs.entityRef],
    ]);
  }
}
