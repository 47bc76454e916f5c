import type {
  JobMessage,
  RunKind,
} from '@provisionhub/plugin-provisionhub-common';

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
  kind: RunKind;
  /** Ref of the entity the run creates, e.g. `component:default/payments-api`. */
  entityRef: string;
  /** The blueprint's parameters, after defaults were applied. */
  values: JobMessage['run']['values'];
  blueprint: { name: string; version: string };
  repository: { path: string };
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

/** @public */
export interface RenderBlueprintOptions {
  /**
   * The blueprint digest of `files` (see `computeBlueprintDigest`). When given, compiled templates
   * are cached under it, so rendering the same blueprint again skips compilation. Pass it only
   * when it really is the digest of `files`.
   */
  digest?: string;
}
