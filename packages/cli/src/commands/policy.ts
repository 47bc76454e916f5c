import { describePolicyDecision } from '@provisionhub/plugin-provisionhub-common';
import type { Command } from 'commander';
import { CommandEnv, action } from '../lib/command';
import { EXIT } from '../lib/errors';
import {
  RunRequestOptions,
  buildRunRequest,
  withRunRequestOptions,
} from '../lib/runRequest';

/** `provisionhub policy …`: what the control plane's policy says, before asking. */
export function registerPolicyCommands(program: Command, env: CommandEnv) {
  const policy = program
    .command('policy')
    .description("the control plane's policy rules");

  withRunRequestOptions(
    policy
      .command('evaluate')
      .description(
        'what policy would decide if you requested this; creates nothing (exit 1 if denied)',
      ),
  ).action(
    action(env, async (ctx, options: RunRequestOptions) => {
      const request = await buildRunRequest(ctx, options);
      const decision = await ctx.call(api => api.evaluatePolicy(request));
      if (ctx.out.json) {
        ctx.out.result(decision);
      } else {
        const colour = {
          deny: ctx.out.style.red,
          'require-approval': ctx.out.style.yellow,
          allow: ctx.out.style.green,
        }[decision.decision];
        ctx.out.info(colour(describePolicyDecision(decision)));
        if (decision.rules.length > 0) {
          ctx.out.table(
            ['RULE', 'EFFECT', 'REASON'],
            decision.rules.map(rule => [rule.id, rule.effect, rule.reason]),
          );
        }
      }
      return decision.decision === 'deny' ? EXIT.failed : EXIT.ok;
    }),
  );
}
