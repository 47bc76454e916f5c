import {
  Run,
  describePolicyDecision,
} from '@provisionhub/plugin-provisionhub-common';
import type { Command } from 'commander';
import { positiveNumber } from './command';
import type { CommandContext } from './context';
import { EXIT } from './errors';
import { followRun } from './followRun';
import { describeRunSubject, printRunOutcome, styledStatus } from './renderRun';

export interface FollowOptions {
  timeout: number;
  pollInterval: number;
}

export function withFollowOptions(command: Command): Command {
  return command
    .option(
      '--timeout <minutes>',
      'stop waiting after this long (the run keeps going; exit code 1)',
      positiveNumber('--timeout'),
      30,
    )
    .option(
      '--poll-interval <ms>',
      'how often to ask the portal for news',
      positiveNumber('--poll-interval'),
      1000,
    );
}

/**
 * Follows a run to its end, printing its progress; Ctrl-C stops following (the run keeps going).
 * The exit code says how it ended: 0 succeeded, 1 otherwise.
 */
export async function waitForRun(
  ctx: CommandContext,
  runId: string,
  options: FollowOptions,
  extra: { jsonLines?: boolean } = {},
): Promise<Run> {
  const { api, target } = await ctx.connection();
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  process.once('SIGINT', onInterrupt);
  try {
    return await followRun({
      api,
      target,
      runId,
      out: ctx.out,
      pollIntervalMs: options.pollInterval,
      timeoutMs: options.timeout * 60_000,
      signal: stop.signal,
      jsonLines: extra.jsonLines,
    });
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}

/**
 * After a command requested a run: says what was requested and whether it waits for approval;
 * with `--wait`, follows it and answers its outcome. Gives the exit code.
 */
export async function reportRequestedRun(
  ctx: CommandContext,
  run: Run,
  options: FollowOptions & { wait?: boolean },
): Promise<number> {
  const { out } = ctx;
  out.info(
    `Requested run ${run.id}: ${describeRunSubject(run)}, ${styledStatus(
      out,
      run,
    )}`,
  );
  if (run.status === 'awaiting_approval' && run.policy) {
    out.info(
      out.style.yellow(
        `It waits for approval: it ${describePolicyDecision(run.policy)}`,
      ),
    );
  }
  if (!options.wait) {
    if (out.json) {
      out.result(run);
    } else {
      out.info(`Follow it: provisionhub runs logs ${run.id} --follow`);
    }
    return EXIT.ok;
  }
  const ended = await waitForRun(ctx, run.id, options);
  if (out.json) {
    out.result(ended);
  }
  printRunOutcome(out, ended);
  return ended.status === 'succeeded' ? EXIT.ok : EXIT.failed;
}
