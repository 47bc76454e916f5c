/**
 * A blueprint version as first seen by the control plane.
 * @internal
 */
export interface PublishedBlueprintVersion {
  name: string;
  version: string;
  /** `sha256:` digest of every file of the version, shared folders included. */
  digest: string;
  /** The Blueprint entity it was first seen in. */
  entityRef: string;
  location: string;
  firstSeenAt: string;
}

/**
 * The ledger of published blueprint versions: each name@version keeps the digest it had the
 * first time the control plane saw it.
 * @internal
 */
export interface BlueprintLedger {
  /**
   * Records the version unless it is recorded already, and returns what is recorded: the given
   * entry the first time, the first entry ever after (also when another replica won the race).
   */
  recordFirstSeen(
    entry: Omit<PublishedBlueprintVersion, 'firstSeenAt'>,
  ): Promise<PublishedBlueprintVersion>;
  get(
    name: string,
    version: string,
  ): Promise<PublishedBlueprintVersion | undefined>;
}
