import { ConflictError, InputError } from '@backstage/errors';
import {
  DEPLOY_STEP_TYPE,
  EnvironmentDefinition,
  GITOPS_PATTERNS,
  JobDeployment,
  RunPromotion,
} from '@provisionhub/plugin-provisionhub-common';
import type { RunBlueprintJob, RunStore } from '../database/RunStore';
import type { GitopsDeployments } from '../environments/GitopsDeployments';
import type { ValidatedRunRequest } from './RunRequestValidator';
import { liveComponent } from './liveComponent';

const IMAGE_TAG = new RegExp(GITOPS_PATTERNS.imageTag);

/**
 * A promotion that passed every check: the component is live and deploys through the GitOps
 * repository, both environments are configured, and the version is known. The run's
 * `environment` is the target, so policy rules on an environment apply to promotions into it.
 * @internal
 */
export interface ValidatedPromotion
  extends Omit<ValidatedRunRequest, 'kind' | 'blueprint'> {
  kind: 'promote';
  environment: string;
  blueprint: RunBlueprintJob;
  deploy: JobDeployment;
}

/**
 * Checks `POST /components/{name}/promote`. Throws `InputError` (400), `NotFoundError` (404) or
 * `ConflictError` (409) saying what is wrong.
 * @internal
 */
export class PromoteValidator {
  readonly #store: RunStore;
  readonly #deployments: GitopsDeployments;
  readonly #environments: readonly EnvironmentDefinition[];

  constructor(options: {
    store: RunStore;
    deployments: GitopsDeployments;
    environments: readonly EnvironmentDefinition[];
  }) {
    this.#store = options.store;
    this.#deployments = options.deployments;
    this.#environments = options.environments;
  }

  async validate(name: string, input: unknown): Promise<ValidatedPromotion> {
    const request = this.#checkShape(input);
    const { component, current } = await liveComponent(
      this.#store,
      name,
      'promoted',
    );
    if (
      !current.blueprintJob.steps.some(step => step.type === DEPLOY_STEP_TYPE)
    ) {
      throw new ConflictError(
        `component '${name}' runs blueprint ${component.blueprint.name}@${component.blueprint.version}, which has no '${DEPLOY_STEP_TYPE}' step: it does not deploy through the GitOps repository. Upgrade it to a version that does (POST /components/${name}/upgrade)`,
      );
    }
    const version =
      request.version ?? (await this.#versionOf(name, request.from));
    const promotion: RunPromotion = {
      from: request.from,
      to: request.to,
      version,
    };
    const deploy = this.#deployments.forPromotion(component, promotion)!;
    return {
      kind: 'promote',
      name: component.name,
      owner: component.owner,
      system: component.system,
      environment: request.to,
      entityRef: component.entityRef,
      blueprint: current.blueprintJob,
      digest: component.blueprint.digest,
      values: current.values,
      deploy,
    };
  }

  /** The version committed to `environment`; a promotion from it needs one. */
  async #versionOf(name: string, environment: string): Promise<string> {
    const committed = (
      await this.#store.listDeployments('component', name)
    ).find(d => d.environment === environment && d.state === 'committed');
    if (!committed) {
      throw new ConflictError(
        `component '${name}' has no version in ${environment} yet; promote one into it first, or name the version (field /version)`,
      );
    }
    return committed.version;
  }

  #checkShape(input: unknown): { from: string; to: string; version?: string } {
    if (!this.#deployments.enabled) {
      throw new ConflictError(
        'this portal deploys through no GitOps repository: configure provisionhub.gitops and provisionhub.environments to promote components',
      );
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new InputError(
        'Invalid promotion: / must be a JSON object such as {"from": "staging", "to": "production"}',
      );
    }
    const { from, to, version, ...rest } = input as Record<string, unknown>;
    const names = this.#environments.map(e => e.name);
    const problems = Object.keys(rest).map(
      key =>
        `/${key} is not a field of a promotion (only /from, /to and /version)`,
    );
    for (const [key, value] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (typeof value !== 'string' || !names.includes(value)) {
        problems.push(
          `/${key} must name an environment of provisionhub.environments: ${names.join(
            ', ',
          )}`,
        );
      }
    }
    if (!problems.length && from === to) {
      problems.push('/to must differ from /from');
    }
    if (
      version !== undefined &&
      (typeof version !== 'string' || !IMAGE_TAG.test(version))
    ) {
      problems.push(
        '/version must be an image tag (letters, digits, _, . and -, at most 128, not starting with . or -)',
      );
    }
    if (problems.length) {
      throw new InputError(`Invalid promotion: ${problems.join('; ')}`);
    }
    return {
      from: from as string,
      to: to as string,
      ...(version !== undefined ? { version: version as string } : {}),
    };
  }
}
