/**
 * The steps every run goes through, in order. Blueprint steps run between `push` and `report`.
 * @public
 */
export const CORE_STEPS = [
  { id: 'fetch-blueprint', title: 'Fetch blueprint' },
  { id: 'render', title: 'Render files' },
  { id: 'create-repository', title: 'Create repository' },
  { id: 'push', title: 'Commit and push' },
  { id: 'report', title: 'Report result' },
] as const;

/**
 * The ordered step list of a run whose blueprint declares `extra` steps.
 * @public
 */
export function planRunSteps(
  extra: ReadonlyArray<{ id: string; title?: string; type: string }>,
): Array<{ id: string; title: string }> {
  const core = CORE_STEPS.map(s => ({
    id: s.id as string,
    title: s.title as string,
  }));
  const report = core.pop()!;
  return [
    ...core,
    ...extra.map(s => ({ id: s.id, title: s.title ?? `${s.type} (${s.id})` })),
    report,
  ];
}

/**
 * The steps of an `upgrade` run, in order: the component's current version and the target are
 * both rendered, the difference is merged onto the default branch and pushed to a branch of its
 * own, and a merge request is opened where the Git provider has them.
 * @public
 */
export const UPGRADE_STEPS = [
  { id: 'fetch-blueprint', title: 'Fetch both blueprint versions' },
  { id: 'render', title: 'Render both versions' },
  { id: 'merge', title: 'Merge onto the default branch' },
  { id: 'push', title: 'Push the upgrade branch' },
  { id: 'merge-request', title: 'Open merge request' },
  { id: 'report', title: 'Report result' },
] as const;

/**
 * The steps of a `decommission` run, in order: the repository is archived (read-only on hosts
 * that have archiving, a final `DECOMMISSIONED.md` commit on plain git remotes), then the result
 * is reported and the control plane removes the entity from the catalog.
 * @public
 */
export const DECOMMISSION_STEPS = [
  { id: 'archive', title: 'Archive the repository' },
  { id: 'report', title: 'Report result' },
] as const;

/**
 * The steps of a `promote` run, in order: the component's blueprint version is rendered with its
 * values, and the target environment's overlay (with the promoted version) is written to the
 * GitOps repository — committed to the branch Argo CD follows when the environment is
 * `automatic`, proposed on a branch (and merge request) otherwise.
 * @public
 */
export const PROMOTE_STEPS = [
  { id: 'fetch-blueprint', title: 'Fetch blueprint' },
  { id: 'render', title: 'Render files' },
  { id: 'deploy', title: 'Write the environment to the GitOps repository' },
  { id: 'report', title: 'Report result' },
] as const;
