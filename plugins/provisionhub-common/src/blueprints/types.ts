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
