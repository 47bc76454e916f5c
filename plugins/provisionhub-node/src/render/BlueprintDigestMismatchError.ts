/**
 * The files handed to the renderer are not the ones the run pinned: a published blueprint
 * version changed. Retrying does not help; publish a new version.
 * @public
 */
export class BlueprintDigestMismatchError extends Error {
  readonly name = 'BlueprintDigestMismatchError';
  readonly expected: string;
  readonly actual: string;

  constructor(expected: string, actual: string) {
    super(
      `the blueprint files have digest ${actual}, but the run pinned ${expected}: a published blueprint version must not change; publish the change as a new version and request the run again`,
    );
    this.expected = expected;
    this.actual = actual;
  }
}
