import type { JsonObject } from '@backstage/types';
import type { Command } from 'commander';
import { CommandEnv, action } from '../lib/command';
import { printComponent } from '../lib/renderComponent';
import { collect } from '../lib/runRequest';
import { applySetArguments, readValuesFile } from '../lib/values';
import {
  FollowOptions,
  reportRequestedRun,
  withFollowOptions,
} from '../lib/waitForRun';

/** `provisionhub components …`: day 2 for components ProvisionHub provisioned. */
export function registerComponentsCommands(program: Command, env: CommandEnv) {
  const components = program
    .command('components')
    .description('change components that ProvisionHub provisioned');

  components
    .command('get <name>')
    .description(
      'a component: its blueprint, repository and what runs in which environment',
    )
    .action(
      action(env, async (ctx, name: string) => {
        const component = await ctx.call(api => api.getComponent(name));
        if (ctx.out.json) {
          ctx.out.result(component);
        } else {
          printComponent(ctx.out, component);
        }
      }),
    );

  withFollowOptions(
    components
      .command('promote <name>')
      .description(
        "move a component's version from one environment to the next: a promote run under policy (production may wait for approvals) that changes only the target environment's overlay in the GitOps repository",
      )
      .requiredOption(
        '--from <environment>',
        'the environment whose version is promoted',
      )
      .requiredOption('--to <environment>', 'the environment that gets it')
      .option(
        '--version <tag>',
        'the image tag (or commit) to deploy instead of the one --from runs',
      )
      .option(
        '--wait',
        'follow the run until it ends; exit 0 only if it succeeded',
      ),
  ).action(
    action(
      env,
      async (
        ctx,
        name: string,
        options: FollowOptions & {
          from: string;
          to: string;
          version?: string;
          wait?: boolean;
        },
      ) => {
        const run = await ctx.call(api =>
          api.promoteComponent(name, {
            from: options.from,
            to: options.to,
            ...(options.version === undefined
              ? {}
              : { version: options.version }),
          }),
        );
        return reportRequestedRun(ctx, run, options);
      },
    ),
  );

  withFollowOptions(
    components
      .command('upgrade <name>')
      .description(
        'propose another blueprint version, or other values, to a component: a branch (and a merge request on GitLab); its default branch is not changed',
      )
      .requiredOption(
        '--to <version>',
        "the target blueprint version; the component's own version to change values only",
      )
      .option(
        '--set <key=value>',
        "a value to change, typed by the target version's schema; repeat for more",
        collect,
      )
      .option(
        '--values-file <file>',
        'YAML or JSON file with values to change (- reads standard input); --set wins over it',
      )
      .option(
        '--wait',
        'follow the run until it ends; exit 0 only if it succeeded',
      ),
  ).action(
    action(
      env,
      async (
        ctx,
        name: string,
        options: FollowOptions & {
          to: string;
          set?: string[];
          valuesFile?: string;
          wait?: boolean;
        },
      ) => {
        let values: JsonObject = options.valuesFile
          ? await readValuesFile(options.valuesFile)
          : {};
        if (options.set?.length) {
          const { blueprint } = await ctx.call(api => api.getComponent(name));
          const { parameters } = await ctx.call(api =>
            api.getBlueprintVersion(blueprint.name, options.to),
          );
          values = applySetArguments(
            values,
            options.set,
            parameters,
            `${blueprint.name}@${options.to}`,
          );
        }
        const run = await ctx.call(api =>
          api.upgradeComponent(name, {
            version: options.to,
            ...(Object.keys(values).length ? { values } : {}),
          }),
        );
        return reportRequestedRun(ctx, run, options);
      },
    ),
  );

  withFollowOptions(
    components
      .command('decommission <name>')
      .description(
        'retire a component: after policy and approvals its repository is archived and its entity leaves the catalog; the component and its runs are kept',
      )
      .option(
        '--reason <text>',
        'why it is retired; recorded on the run and written into the repository',
      )
      .option(
        '--wait',
        'follow the run until it ends; exit 0 only if it succeeded',
      ),
  ).action(
    action(
      env,
      async (
        ctx,
        name: string,
        options: FollowOptions & { reason?: string; wait?: boolean },
      ) => {
        const run = await ctx.call(api =>
          api.decommissionComponent(
            name,
            options.reason === undefined ? {} : { reason: options.reason },
          ),
        );
        return reportRequestedRun(ctx, run, options);
      },
    ),
  );
}
