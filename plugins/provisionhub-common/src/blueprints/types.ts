import type { PolicyDecision } from '../policy';
import type { JsonObject } from '@backstage/types';
import type { BlueprintStepSpec } from '../messages/types';

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
  latestVersion: string;
  versions: string[];
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
