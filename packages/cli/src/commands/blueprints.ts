import type { JsonObject } from '@backstage/types';
import type { BlueprintVersion } from '@provisionhub/plugin-provisionhub-common';
import type { Command } from 'commander';
import { CommandEnv, action } from '../lib/command';
import { EXIT } from '../lib/errors';
import {
  describeCounts,
  followCampaign,
  printCampaign,
} from '../lib/followCampaign';
import type { Output } from '../lib/output';
import { parseBlueprintRef } from '../lib/values';
import { FollowOptions, withFollowOptions } from '../lib/waitForRun';

interface ParameterSchema {
  type?: string | string[];
  default?: unknown;
  enum?: unknown[];
  description?: string;
  title?: string;
}

function printParameters(out: Output, version: BlueprintVersion) {
  const schema = version.parameters as JsonObject & {
    properties?: Record<string, ParameterSchema>;
    required?: string[];
  };
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) {
    out.info('No parameters.');
    return;
  }
  out.table(
    ['PARAMETER', 'TYPE', 'DEFAULT', 'REQUIRED', 'DESCRIPTION'],
    properties.map(([name, property]) => [
      name,
      property.enum
        ? property.enum.map(v => JSON.stringify(v)).join(' | ')
        : [property.type ?? 'any'].flat().join(' | '),
      property.default === undefined ? '' : JSON.stringify(property.default),
      schema.required?.includes(name) ? 'yes' : '',
      property.description ?? property.title ?? '',
    ]),
  );
}

/** `provisionhub blueprints …`: what systems and components are built from. */
export function registerBlueprintsCommands(program: Command, env: CommandEnv) {
  const blueprints = program
    .command('blueprints')
    .description('the blueprints systems and components are built from');

  blueprints
    .command('list')
    .description('every blueprint with its versions')
    .option(
      '--type <type>',
      'only this type: system, backend, frontend, database, …',
    )
    .action(
      action(env, async (ctx, options: { type?: string }) => {
        const { items } = await ctx.call(api =>
          api.listBlueprints({ type: options.type }),
        );
        if (ctx.out.json) {
          ctx.out.result({ items });
          return;
        }
        if (items.length === 0) {
          ctx.out.info('No blueprints.');
          return;
        }
        ctx.out.table(
          ['NAME', 'TYPE', 'LATEST', 'VERSIONS', 'OWNER', 'TITLE'],
          items.map(b => [
            b.name,
            b.type,
            b.latestVersion,
            b.versions.join(', '),
            b.owner,
            b.title,
          ]),
        );
      }),
    );

  blueprints
    .command('show <blueprint>')
    .description(
      'one blueprint version (name or name@version; default the latest) with its parameters',
    )
    .action(
      action(env, async (ctx, ref: string) => {
        const { name, version } = parseBlueprintRef(ref);
        const shown = await ctx.call(async api => {
          if (version) {
            return {
              version: await api.getBlueprintVersion(name, version),
              versions: undefined,
            };
          }
          const details = await api.getBlueprint(name);
          return {
            version: details.versions.find(
              v => v.version === details.latestVersion,
            )!,
            versions: details.versions.map(v => v.version),
          };
        });
        if (ctx.out.json) {
          ctx.out.result(shown.version);
          return;
        }
        const v = shown.version;
        ctx.out.info(ctx.out.style.bold(`${v.name}@${v.version}  ${v.title}`));
        ctx.out.fields([
          ['Type', v.type],
          ['Owner', v.owner],
          ['Description', v.description],
          ['Versions', shown.versions?.join(', ')],
          ['Tags', v.tags.length ? v.tags.join(', ') : undefined],
          [
            'Extra steps',
            v.steps.length
              ? v.steps.map(s => `${s.id} (${s.type})`).join(', ')
              : undefined,
          ],
          ['Entity', v.entityRef],
        ]);
        ctx.out.info();
        printParameters(ctx.out, v);
      }),
    );

  withFollowOptions(
    blueprints
      .command('upgrade <blueprint>')
      .description(
        'upgrade every component on one version of a blueprint to another: one upgrade run each, under policy (needs provisionhub.admin)',
      )
      .requiredOption('--from <version>', 'the version the components run now')
      .requiredOption('--to <version>', 'the version to upgrade them to')
      .option(
        '--wait',
        'follow the campaign until every run ended; exit 0 only if every component was upgraded',
      ),
  ).action(
    action(
      env,
      async (
        ctx,
        blueprint: string,
        options: FollowOptions & { from: string; to: string; wait?: boolean },
      ) => {
        const started = await ctx.call(api =>
          api.startUpgradeCampaign(blueprint, {
            from: options.from,
            to: options.to,
          }),
        );
        const { out } = ctx;
        out.info(
          `Started campaign ${started.id}: ${blueprint} ${options.from} → ${
            options.to
          } (${describeCounts(started)})`,
        );
        const campaign = options.wait
          ? await followCampaign(ctx, started, options)
          : started;
        if (out.json) {
          out.result(campaign);
        } else {
          printCampaign(out, campaign);
        }
        if (!options.wait) {
          return EXIT.ok;
        }
        return campaign.runs.every(r => r.state === 'succeeded')
          ? EXIT.ok
          : EXIT.failed;
      },
    ),
  );
}
