/**
 * One file of a blueprint, at its path inside the rendered repository (before rendering).
 * @public
 */
export interface BlueprintFile {
  /** POSIX path, relative, never starting with `/` or containing `..`. */
  path: string;
  content: Buffer;
  executable: boolean;
}
