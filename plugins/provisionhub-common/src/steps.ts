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
