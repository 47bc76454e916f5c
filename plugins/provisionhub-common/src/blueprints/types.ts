import type { PolicyDecision } from '../policy';
import type { JsonObject } from '@backstage/types';
import type { BlueprintStepSpec } from '../messages/types';

/**
 * The reason the control plane gives for a blueprint version that is not from a trusted source.
 * @public
 */
export const UNTRUSTED_BLUEPRINT_REASON = 'not from a trusted source';

/**
 * The reason the control plane gives for a published version whose files changed.
 * @public
 */
export const MODIFIED_BLUEPRINT_REASON = 'modified after publication';

/**
 * Whether runs of a blueprint version are accepted, and if not, why.
 * @public
 */
export interface BlueprintVersionStatus {
  /** `false`: runs and dry runs of this version are refused. */
  usable: boolean;
  /**
   * Why it is not usable: starts with `not from a trusted source`, `modified after publication`,
   * or says what is wrong with its files.
   */
  reason?: string;
  /** From a catalog location in `provisionhub.blueprints.trusted`. */
  trusted: boolean;
  /** The digest the control plane recorded the first time it saw this version, and when. */
  published?: { digest: string; at: string };
  /** Set when the files now have another digest than the published one. */
  modifiedAfterPublication?: { digest: string };
}

/**
 * One version of a blueprint, as the control plane's API returns it.
 * @public
 */
export interface BlueprintVersion {
  name: string;
  version: string;
  type: string;
  title: string;
  description?: string;
  owner: string;
  tags: string[];
  /** Ref of the Blueprint entity of this version. */
  entityRef: string;
  parameters: JsonObject;
  steps: BlueprintStepSpec[];
  /** What this version changes (`spec.changelog`). */
  changelog?: string;
  /** `GET /blueprints/{name}` only: how many provisioned systems or components run it. */
  provisioned?: number;
  /** Set by the control plane's API. */
  status?: BlueprintVersionStatus;
}

/**
 * A blueprint with all of its versions, newest first.
 * @public
 */
export interface BlueprintSummary {
  name: string;
  type: string;
  title: string;
  description?: string;
  owner: string;
  tags: string[];
  /** The newest usable version (the newest version when none is usable). */
  latestVersion: string;
  versions: string[];
  /** Status of `latestVersion`; set by the control plane's API. */
  status?: BlueprintVersionStatus;
}

/**
 * A blueprint with the details of every version, newest first.
 * @public
 */
export interface BlueprintDetails extends Omit<BlueprintSummary, 'versions'> {
  versions: BlueprintVersion[];
}

/**
 * What a dry run of a blueprint would write.
 * @public
 */
export interface DryRunResult {
  blueprint: { name: string; version: string; digest: string };
  repositoryPath: string;
  files: Array<{ path: string; size: number; executable: boolean }>;
  /** What policy would decide for the caller's request. */
  policy: PolicyDecision;
}
