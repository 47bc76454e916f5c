import {
  RUN_KINDS,
  RUN_STATUSES,
  Run,
  RunKind,
  RunStatus,
  describePolicyDecision,
} from '@provisionhub/plugin-provisionhub-common';
import { Command, Option } from 'commander';
import { CommandEnv, action, positiveNumber } from '../lib/command';
import type { CommandContext } from '../lib/context';
import { EXIT } from '../lib/errors';
import { followRun } from '../lib/followRun';
import {
  FollowOptions,
  reportRequestedRun,
  waitForRun,
  withFollowOptions,
} from '../lib/waitForRun';
import { printRun, printRunOutcome, styledStatus } from '../lib/renderRun';
import {
  RunRequestOptions,
  buildRunRequest,
  withRunRequestOptions,
} from '../lib/runRequest';

/** Prints a run that a command changed, and gives the exit code 0. */
function reportChange(ctx: CommandContext, run: Run, verb: string) {
  if (ctx.out.json) {
    ctx.out.result(run);
    return;
  }
  ctx.out.info(
    `Run ${run.id} ${verb}; it is now ${styledStatus(ctx.out, run)}`,
  );
  if (run.status === 'awaiting_approval' && run.policy) {
    const given = run.approvals?.length ?? 0;
    ctx.out.info(
      `It ${describePolicyDecision(run.policy)} (${given} approval${
        given === 1 ? '' : 's'
      } so far)`,
    );
  }
}

/** `provisionhub runs …`: request, list, inspect, follow and act on runs. */
export function registerRunsCommands(program: Command, env: CommandEnv) {
  const runs = program
    .command('runs')
    .description('request systems and components, and follow and act on runs');

  withFollowOptions(
    withRunRequestOptions(
      runs
        .command('create')
        .description(
          'request a system or component; with --wait, follow it to its end',
        ),
    ),
  )
    .option(
      '--dry-run',
      'create nothing: show the files the blueprint would write and what policy would decide (exit 1 if denied)',
    )
    .option(
      '--wait',
      'follow the run until it ends; exit 0 only if it succeeded',
    )
    .action(
      action(
        env,
        async (
          ctx,
          options: RunRequestOptions &
            FollowOptions & { dryRun?: boolean; wait?: boolean },
        ) => {
          const request = await buildRunRequest(ctx, options);
          const { out } = ctx;
          if (options.dryRun) {
            const result = await ctx.call(api => api.dryRun(request));
            if (out.json) {
              out.result(result);
            } else {
              out.info(
                `Dry run: blueprint ${result.blueprint.name}@${result.blueprint.version} (${result.blueprint.digest}) would create repository ${result.repositoryPath} with ${result.files.length} file(s); nothing was created`,
              );
              out.info(`Policy: ${describePolicyDecision(result.policy)}`);
              for (const file of result.files) {
                out.info(
                  `  ${file.path} (${file.size} bytes${
                    file.executable ? ', executable' : ''
                  })`,
                );
              }
            }
            return result.policy.decision === 'deny' ? EXIT.failed : EXIT.ok;
          }

          const run = await ctx.call(api => api.createRun(request));
          return reportRequestedRun(ctx, run, options);
        },
      ),
    );

  runs
    .command('list')
    .description('runs you may read, newest first')
    .addOption(
      new Option('--status <status...>', 'only runs in these statuses').choices(
        [...RUN_STATUSES],
      ),
    )
    .addOption(
      new Option('--kind <kind>', 'only runs of this kind').choices([
        ...RUN_KINDS,
      ]),
    )
    .option('--system <name>', 'only runs of this system and its components')
    .option('--requested-by <ref>', 'only runs requested by this user')
    .option('--entity-ref <ref>', 'only runs that create this entity')
    .option('--limit <n>', 'runs per page', positiveNumber('--limit'), 20)
    .option('--cursor <cursor>', 'the page after the one that gave this cursor')
    .action(
      action(
        env,
        async (
          ctx,
          options: {
            status?: RunStatus[];
            kind?: RunKind;
            system?: string;
            requestedBy?: string;
            entityRef?: string;
            limit: number;
            cursor?: string;
          },
        ) => {
          const page = await ctx.call(api => api.listRuns(options));
          if (ctx.out.json) {
            ctx.out.result(page);
            return;
          }
          if (page.items.length === 0) {
            ctx.out.info('No runs.');
            return;
          }
          ctx.out.table(
            [
              'ID',
              'STATUS',
              'KIND',
              'NAME',
              'SYSTEM',
              'BLUEPRINT',
              'REQUESTED BY',
              'CREATED',
            ],
            page.items.map(run => [
              run.id,
              run.status,
              run.kind,
              run.name,
              run.system ?? '',
              `${run.blueprint.name}@${run.blueprint.version}`,
              run.requestedBy,
              run.createdAt,
            ]),
          );
          if (page.nextCursor) {
            ctx.out.info(
              `More: provisionhub runs list --cursor ${page.nextCursor}`,
            );
          }
        },
      ),
    );

  runs
    .command('get <runId>')
    .description('a run with its policy decision, approvals, steps and history')
    .action(
      action(env, async (ctx, runId: string) => {
        const run = await ctx.call(api => api.getRun(runId));
        if (ctx.out.json) {
          ctx.out.result(run);
        } else {
          printRun(ctx.out, run);
        }
      }),
    );

  withFollowOptions(
    runs
      .command('logs <runId>')
      .description(
        "a run's status changes, worker steps and log lines; --follow keeps printing them as they happen",
      ),
  )
    .option(
      '-f, --follow',
      'keep going until the run ends; exit 0 only if it succeeded',
    )
    .action(
      action(
        env,
        async (
          ctx,
          runId: string,
          options: FollowOptions & { follow?: boolean },
        ) => {
          if (!options.follow) {
            const { api, target } = await ctx.connection();
            await ctx.call(() =>
              followRun({
                api,
                target,
                runId,
                out: ctx.out,
                pollIntervalMs: options.pollInterval,
                timeoutMs: 0,
                once: true,
                jsonLines: ctx.out.json,
              }),
            );
            return EXIT.ok;
          }
          // The run must exist: its first read answers 404 or 403 with the reason.
          await ctx.call(api => api.getRun(runId));
          const ended = await waitForRun(ctx, runId, options, {
            jsonLines: ctx.out.json,
          });
          if (!ctx.out.json) {
            printRunOutcome(ctx.out, ended);
          }
          return ended.status === 'succeeded' ? EXIT.ok : EXIT.failed;
        },
      ),
    );

  runs
    .command('approve <runId>')
    .description(
      'approve a run that waits for approval (not your own; you must be in an approver group)',
    )
    .option('--comment <text>', 'why; kept in the run history')
    .action(
      action(env, async (ctx, runId: string, options: { comment?: string }) => {
        const run = await ctx.call(api =>
          api.approveRun(runId, { comment: options.comment }),
        );
        reportChange(ctx, run, 'is approved by you');
      }),
    );

  runs
    .command('reject <runId>')
    .description('reject a run that waits for approval')
    .requiredOption('--reason <text>', 'why; the requester is told')
    .action(
      action(env, async (ctx, runId: string, options: { reason: string }) => {
        const run = await ctx.call(api =>
          api.rejectRun(runId, { reason: options.reason }),
        );
        reportChange(ctx, run, 'is rejected');
      }),
    );

  runs
    .command('cancel <runId>')
    .description('cancel a run that has not ended')
    .action(
      action(env, async (ctx, runId: string) => {
        const run = await ctx.call(api => api.cancelRun(runId));
        reportChange(ctx, run, 'is cancelled');
      }),
    );

  withFollowOptions(
    runs
      .command('retry <runId>')
      .description(
        'retry a failed or cancelled run from its first unfinished step',
      ),
  )
    .option(
      '--wait',
      'follow the run until it ends; exit 0 only if it succeeded',
    )
    .action(
      action(
        env,
        async (
          ctx,
          runId: string,
          options: FollowOptions & { wait?: boolean },
        ) => {
          const run = await ctx.call(api => api.retryRun(runId));
          if (!options.wait) {
            reportChange(ctx, run, `is retried (attempt ${run.attempt})`);
            return EXIT.ok;
          }
          ctx.out.info(`Retrying run ${run.id} (attempt ${run.attempt})`);
          const ended = await waitForRun(ctx, run.id, options);
          if (ctx.out.json) {
            ctx.out.result(ended);
          }
          printRunOutcome(ctx.out, ended);
          return ended.status === 'succeeded' ? EXIT.ok : EXIT.failed;
        },
      ),
    );
}
