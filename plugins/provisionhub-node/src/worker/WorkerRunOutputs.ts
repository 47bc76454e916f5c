// A file of its own: the render context (render/types.ts) and the step context both use it.
/**
 * What the run has produced when blueprint steps run (after the push). Step inputs see it as
 * `${{ outputs.repoUrl }}` and friends.
 * @public
 */
export interface WorkerRunOutputs {
  /** Web URL of the run's repository. */
  repoUrl: string;
  /** The branch the run pushed. */
  defaultBranch: string;
  /** Ref of the entity the run creates, e.g. `component:default/payments-api`. */
  entityRef: string;
  /** The run's commit on the default branch. */
  commit: string;
}
