import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { JsonObject, JsonValue } from '@backstage/types';
import type {
  BlueprintStepSpec,
  JobMessage,
} from '@provisionhub/plugin-provisionhub-common';
import type { RenderedFile } from '../render/types';
import type { GitProvider, ProvisionedRepository } from './GitProvider';
import type { WorkerRunOutputs } from './WorkerRunOutputs';

export type { WorkerRunOutputs };

/**
 * `provisionhub.git.defaultBranch` and `provisionhub.git.author`, as the worker read them.
 * @public
 */
export interface WorkerGitSettings {
  /** Branch of every new repository. */
  defaultBranch: string;
  /** Author and committer of the worker's commits. */
  author: { name: string; email: string };
}

/**
 * What a blueprint step gets from the worker, like a scaffolder action's context.
 * @public
 */
export interface WorkerStepContext<TInput extends JsonObject = JsonObject> {
  /**
   * The step's `input` from the blueprint: every string rendered with the blueprint template
   * syntax (in the render sandbox, with `outputs` added to the variables), checked against the
   * step's input schema, defaults filled in.
   */
  input: TInput;
  /** The step as the blueprint declares it (`id`, `type`, `title`, `input` before rendering). */
  step: BlueprintStepSpec;
  /** The run's job: run id, attempt, the run (name, owner, values), the pinned blueprint. */
  job: JobMessage;
  /** The rendered repository, as pushed. */
  files: readonly RenderedFile[];
  /** The run's repository (created or reused by this run). */
  repository: ProvisionedRepository;
  /** What the run produced so far (also `outputs` in the input's templates). */
  outputs: WorkerRunOutputs;
  /** The Git provider `provisionhub.git.provider` chose. */
  gitProvider: GitProvider;
  /** Default branch and commit author. */
  git: WorkerGitSettings;
  /**
   * Lines at info, warn and error go to the run's log (shown on the run page) and to the
   * worker's log; debug lines to the worker's log only. Known secrets are redacted.
   */
  logger: LoggerService;
  /**
   * Runs `fn` once per run: its JSON result is stored in the run's repository (a hidden ref
   * under `refs/provisionhub/checkpoints/`), and a later delivery or retry of the same run gets
   * the stored result without calling `fn` again. `key` names it within the step (letters,
   * digits, `.`, `_`, `-`). If the process dies between `fn` and storing, `fn` runs again.
   */
  checkpoint<T extends JsonValue | void>(
    key: string,
    fn: () => Promise<T>,
  ): Promise<T>;
  /** Aborted when the run is cancelled or the worker shuts down; pass it to I/O. */
  signal: AbortSignal;
  /**
   * The worker's whole app-config. A module reads its settings and secrets from it (by
   * convention under `provisionhub.worker.<module>`); values under keys such as `token` or
   * `password` there are redacted from logs, events and errors.
   */
  config: Config;
  /** A folder of this delivery for scratch files, removed afterwards. */
  workspace: string;
}

/**
 * What a step did. `skipped` means its effect already existed (an earlier delivery did it).
 * @public
 */
export interface WorkerStepResult {
  /** `skipped` when an earlier delivery already had the effect. */
  status: 'succeeded' | 'skipped';
  /** One line shown with the step on the run page. */
  detail?: string;
}

/**
 * A blueprint step type: `spec.steps[].type` names it.
 * @public
 */
export interface WorkerStep<TInput extends JsonObject = JsonObject> {
  /** What the step does, for people. */
  description?: string;
  /** Schemas of what the step takes. */
  schema: {
    /** JSON Schema of `input`; a run whose input does not match fails before the step runs. */
    input: JsonObject;
  };
  /**
   * Does the work. Throw `PermanentError` for what retrying cannot fix; anything else is
   * retried with backoff. Resolving with nothing means `succeeded`.
   */
  run(context: WorkerStepContext<TInput>): Promise<WorkerStepResult | void>;
}

/**
 * What a Git provider factory gets.
 * @public
 */
export interface GitProviderFactoryOptions {
  /** The worker's whole app-config (`integrations:` holds Git credentials). */
  config: Config;
  /** Default branch and commit author. */
  git: WorkerGitSettings;
  /** The worker's log. */
  logger: LoggerService;
  /** Every secret the worker knows; pass them to anything that may echo one in an error. */
  secrets: readonly string[];
}

/**
 * Builds the provider when `provisionhub.git.provider` names it; called once at startup.
 * Throw an Error naming the config key when the settings are wrong.
 * @public
 */
export type GitProviderFactory = (
  options: GitProviderFactoryOptions,
) => GitProvider | Promise<GitProvider>;

/**
 * What a worker module's `register` gets.
 * @public
 */
export interface WorkerModuleEnvironment {
  /** The worker's whole app-config. */
  config: Config;
  /**
   * Adds a blueprint step type. Names are lowercase words joined by `-`, optionally namespaced
   * with `:` (e.g. `http:request`); each type may be registered once per worker.
   */
  registerStep<TInput extends JsonObject>(
    type: string,
    step: WorkerStep<TInput>,
  ): void;
  /** Adds a Git provider that `provisionhub.git.provider` can name. */
  registerGitProvider(name: string, factory: GitProviderFactory): void;
}

/**
 * A worker module, made with `createWorkerModule`.
 * @public
 */
export interface WorkerModule {
  /** Marks objects made by `createWorkerModule`. */
  readonly $$type: '@provisionhub/WorkerModule';
  /** Shown in the worker's log and errors. */
  readonly id: string;
  /** Called once at startup; registers the module's step types and Git providers. */
  register(env: WorkerModuleEnvironment): void | Promise<void>;
}
