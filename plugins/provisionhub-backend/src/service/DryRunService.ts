import { ConflictError, InputError } from '@backstage/errors';
import {
  DryRunResult,
  repositoryPathFor,
} from '@provisionhub/plugin-provisionhub-common';
import {
  BlueprintDigestMismatchError,
  BlueprintRenderError,
  RenderLimits,
  createRenderContext,
  renderBlueprint,
} from '@provisionhub/plugin-provisionhub-node';
import type { Requester, RequestPolicy } from '../policy/RequestPolicy';
import type { BlueprintRegistry } from './BlueprintRegistry';
import type { RunRequestValidator } from './RunRequestValidator';

/**
 * Resolves a request like a real one and renders its blueprint in memory, without storing or
 * queuing anything. Returns what would be written: paths and sizes, never contents.
 * @internal
 */
export class DryRunService {
  readonly #validator: RunRequestValidator;
  readonly #registry: BlueprintRegistry;
  readonly #policy: RequestPolicy;
  readonly #limits?: RenderLimits;

  constructor(options: {
    validator: RunRequestValidator;
    registry: BlueprintRegistry;
    policy: RequestPolicy;
    limits?: RenderLimits;
  }) {
    this.#validator = options.validator;
    this.#registry = options.registry;
    this.#policy = options.policy;
    this.#limits = options.limits;
  }

  /** @param requester - whose request it would be: policy is evaluated for them */
  async dryRun(input: unknown, requester: Requester): Promise<DryRunResult> {
    const request = await this.#validator.validate(input, { forDryRun: true });
    const { blueprint } = request;
    const repositoryPath = repositoryPathFor(request);
    const files = await this.#registry.readFiles(blueprint);
    const { digest } = request;
    const context = createRenderContext({
      run: {
        kind: request.kind,
        name: request.name,
        owner: request.owner,
        ...(request.system ? { system: request.system } : {}),
        entityRef: request.entityRef,
        values: request.values,
      },
      blueprint,
      repository: { path: repositoryPath },
    });
    let rendered;
    try {
      rendered = await renderBlueprint(files, context, {
        digest,
        limits: this.#limits,
      });
    } catch (error) {
      if (error instanceof BlueprintRenderError) {
        throw new InputError(
          `blueprint ${blueprint.name}@${blueprint.version} does not render with these values: ${error.message}`,
        );
      }
      if (error instanceof BlueprintDigestMismatchError) {
        throw new ConflictError(
          `blueprint ${blueprint.name}@${blueprint.version} changed while the dry run read it: ${error.message}`,
        );
      }
      throw error;
    }
    return {
      policy: await this.#policy.decide(request, requester),
      blueprint: { name: blueprint.name, version: blueprint.version, digest },
      repositoryPath,
      files: rendered.map(file => ({
        path: file.path,
        size: file.content.length,
        executable: file.executable,
      })),
    };
  }
}
