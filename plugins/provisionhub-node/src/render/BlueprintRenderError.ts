/**
 * A blueprint cannot be rendered: an undefined variable, a template syntax error or a rendered
 * path that is not allowed. The message names the file (and the line when known). Retrying does
 * not help; the blueprint or the values must change.
 * @public
 */
export class BlueprintRenderError extends Error {
  readonly name = 'BlueprintRenderError';
  /** The blueprint file, as a path inside the repository before rendering. */
  readonly sourcePath: string;
  readonly line?: number;

  constructor(message: string, sourcePath: string, line?: number) {
    super(message);
    this.sourcePath = sourcePath;
    this.line = line;
  }
}
