import type {
  CreateRunKind,
  JobMessage,
} from '@provisionhub/plugin-provisionhub-common';
import type { WorkerRunOutputs } from '../worker/WorkerRunOutputs';

/**
 * The variables a blueprint template sees, e.g. `${{ name }}` or `${{ values.port }}`.
 * Documented in docs/design.md, "Blueprint templates".
 * @public
 */
export interface BlueprintRenderContext {
  /** Name of the system or component being created. */
  name: string;
  /** Entity ref of the owner, e.g. `group:default/payments`. */
  owner: string;
  /** The system a component belongs to; for a system run, the system's own name. */
  system: string;
  kind: CreateRunKind;
  /** Ref of the entity the run creates, e.g. `component:default/payments-api`. */
  entityRef: string;
  /** The blueprint's parameters, after defaults were applied. */
  values: JobMessage['run']['values'];
  blueprint: { name: string; version: string };
  repository: { path: string };
  /** Only in the input of blueprint steps: what the run has produced by then. */
  outputs?: WorkerRunOutputs;
}

/**
 * One file of the rendered repository.
 * @public
 */
export interface RenderedFile {
  /** POSIX path inside the repository, after rendering. */
  path: string;
  /** Path of the blueprint file it was rendered from. */
  sourcePath: string;
  content: Buffer;
  executable: boolean;
  /** Binary files are copied untouched. */
  binary: boolean;
}

/**
 * Bounds of one render in the sandbox.
 * @public
 */
export interface RenderLimits {
  /** The whole blueprint must render within this time. */
  timeoutMs: number;
  /** Total size of the rendered text files. */
  maxOutputBytes: number;
}

/** @public */
export interface RenderBlueprintOptions {
  /**
   * The digest the run pinned (see `computeBlueprintDigest`). The renderer computes the digest of
   * `files` itself (compiled templates are cached under it) and refuses files whose digest is
   * not this one.
   */
  digest?: string;
  /** Defaults to `DEFAULT_RENDER_LIMITS`. */
  limits?: Partial<RenderLimits>;
}
