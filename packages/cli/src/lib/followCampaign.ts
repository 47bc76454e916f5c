import type { UpgradeCampaign } from '@provisionhub/plugin-provisionhub-common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandContext } from './context';
import { CliError, EXIT } from './errors';
import { formatWait } from './followRun';
import type { Output } from './output';
import type { FollowOptions } from './waitForRun';

/** One line of counts, e.g. `2 succeeded, 1 running, 1 skipped`. */
export function describeCounts(campaign: UpgradeCampaign): string {
  return Object.entries(campaign.counts)
    .map(([state, count]) => `${count} ${state.replace('_', ' ')}`)
    .join(', ');
}

/** The campaign's components: state, run, and the branch or merge request or why skipped. */
export function printCampaign(out: Output, campaign: UpgradeCampaign) {
  out.table(
    ['COMPONENT', 'STATE', 'RUN', 'RESULT'],
    campaign.runs.map(r => [
      r.component,
      r.state,
      r.runId ?? '',
      r.skippedReason ??
        r.outputs?.mergeRequestUrl ??
        (r.outputs?.branch ? `branch ${r.outputs.branch}` : ''),
    ]),
  );
}

/**
 * Polls the campaign until every run ended, printing the counts whenever they change; Ctrl-C
 * stops following (the runs keep going).
 */
export async function followCampaign(
  ctx: CommandContext,
  start: UpgradeCampaign,
  options: FollowOptions,
): Promise<UpgradeCampaign> {
  const deadline = Date.now() + options.timeout * 60_000;
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  process.once('SIGINT', onInterrupt);
  try {
    let campaign = start;
    let shown = describeCounts(campaign);
    while (!campaign.done) {
      if (Date.now() > deadline) {
        throw new CliError(
          `campaign ${campaign.id} did not end within ${formatWait(
            options.timeout * 60_000,
          )} (${shown}); its runs keep going`,
          EXIT.failed,
          { name: 'TimeoutError' },
        );
      }
      await sleep(options.pollInterval, undefined, {
        signal: stop.signal,
      }).catch(() => undefined);
      if (stop.signal.aborted) {
        throw new CliError(
          `stopped following campaign ${campaign.id}; its runs keep going`,
          EXIT.interrupted,
        );
      }
      campaign = await ctx.call(api =>
        api.getUpgradeCampaign(start.blueprint, start.id),
      );
      if (describeCounts(campaign) !== shown) {
        shown = describeCounts(campaign);
        ctx.out.info(shown);
      }
    }
    return campaign;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}
