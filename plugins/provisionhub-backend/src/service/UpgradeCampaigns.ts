import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  UpgradeCampaign,
  UpgradeCampaignRun,
  isTerminalRunStatus,
} from '@provisionhub/plugin-provisionhub-common';
import { randomUUID } from 'node:crypto';
import semver from 'semver';
import type { CampaignStore } from '../database/CampaignStore';
import type { RunStore } from '../database/RunStore';
import type { BlueprintRegistry } from './BlueprintRegistry';
import type { ActionContext, RunService } from './RunService';

/**
 * Bulk upgrades (`POST /blueprints/{name}/upgrades`): one upgrade run per component on `from`,
 * each through {@link RunService.requestUpgrade} — the policy, approvals and audit of a single
 * upgrade. A component whose upgrade is refused (another run in progress, policy, values the
 * target does not accept) is kept as `skipped` with the reason.
 * @internal
 */
export class UpgradeCampaigns {
  readonly #runs: RunService;
  readonly #store: RunStore;
  readonly #campaigns: CampaignStore;
  readonly #registry: BlueprintRegistry;

  constructor(options: {
    runs: RunService;
    store: RunStore;
    campaigns: CampaignStore;
    registry: BlueprintRegistry;
  }) {
    this.#runs = options.runs;
    this.#store = options.store;
    this.#campaigns = options.campaigns;
    this.#registry = options.registry;
  }

  async start(
    blueprint: string,
    input: unknown,
    context: ActionContext,
  ): Promise<UpgradeCampaign> {
    const { from, to } = checkShape(input);
    if (semver.valid(from) && semver.valid(to) && !semver.gt(to, from)) {
      throw new InputError(
        `/to (${to}) must be newer than /from (${from}); downgrades are not supported`,
      );
    }
    // Refuses an unknown, untrusted or modified target before any run exists.
    await this.#registry.resolve(blueprint, to);
    const components = (await this.#store.listComponents({})).filter(
      c =>
        c.status === 'live' &&
        c.blueprint.name === blueprint &&
        c.blueprint.version === from,
    );
    if (!components.length) {
      throw new InputError(
        `no component runs ${blueprint}@${from} (field /from); GET /blueprints/${blueprint} shows how many components run each version`,
      );
    }
    const id = randomUUID();
    await this.#campaigns.createCampaign({
      id,
      blueprint,
      from,
      to,
      createdBy: context.actor,
      createdAt: new Date().toISOString(),
    });
    for (const component of components) {
      const entry = {
        component: component.name,
        entityRef: component.entityRef,
      };
      try {
        const run = await this.#runs.requestUpgrade(
          component.name,
          { version: to },
          context,
        );
        await this.#campaigns.addEntry(id, { ...entry, runId: run.id });
      } catch (error) {
        if (!isRefusal(error)) {
          throw error;
        }
        await this.#campaigns.addEntry(id, {
          ...entry,
          skippedReason: error.message,
        });
      }
    }
    return this.get(blueprint, id);
  }

  /** The campaign with the current status of each of its runs. */
  async get(blueprint: string, id: string): Promise<UpgradeCampaign> {
    const stored = await this.#campaigns.getCampaign(id);
    if (!stored || stored.campaign.blueprint !== blueprint) {
      throw new NotFoundError(
        `blueprint '${blueprint}' has no upgrade campaign ${id}`,
      );
    }
    const runIds = stored.entries.flatMap(e => (e.runId ? [e.runId] : []));
    const runs = new Map(
      (await this.#store.getRuns(runIds)).map(run => [run.id, run]),
    );
    const items = stored.entries.map((entry): UpgradeCampaignRun => {
      const run = entry.runId ? runs.get(entry.runId) : undefined;
      if (!run) {
        return {
          component: entry.component,
          entityRef: entry.entityRef,
          state: 'skipped',
          skippedReason:
            entry.skippedReason ?? `its run ${entry.runId} is no longer stored`,
        };
      }
      return {
        component: entry.component,
        entityRef: entry.entityRef,
        state: run.status,
        runId: run.id,
        ...(run.outputs ? { outputs: run.outputs } : {}),
      };
    });
    const counts: UpgradeCampaign['counts'] = {};
    for (const item of items) {
      counts[item.state] = (counts[item.state] ?? 0) + 1;
    }
    return {
      ...stored.campaign,
      counts,
      done: items.every(
        item => item.state === 'skipped' || isTerminalRunStatus(item.state),
      ),
      runs: items,
    };
  }
}

/** The errors that refuse one component's upgrade; anything else stops the campaign. */
function isRefusal(
  error: unknown,
): error is InputError | NotAllowedError | NotFoundError | ConflictError {
  return (
    error instanceof InputError ||
    error instanceof NotAllowedError ||
    error instanceof NotFoundError ||
    error instanceof ConflictError
  );
}

function checkShape(input: unknown): { from: string; to: string } {
  const body = (
    typeof input === 'object' && input !== null && !Array.isArray(input)
      ? input
      : {}
  ) as Record<string, unknown>;
  const problems = (['from', 'to'] as const).flatMap(field =>
    typeof body[field] === 'string' && body[field]
      ? []
      : [
          `/${field} is required: the blueprint version ${
            field === 'from' ? 'the components run now' : 'to upgrade them to'
          }`,
        ],
  );
  if (problems.length) {
    throw new InputError(
      `Invalid upgrade campaign request: ${problems.join('; ')}`,
    );
  }
  return { from: body.from as string, to: body.to as string };
}
