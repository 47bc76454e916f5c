import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import {
  CreateRunKind,
  RunRequest,
  describePolicyDecision,
} from '@provisionhub/plugin-provisionhub-common';
import { authorizeInitiator } from './authorizeInitiator';
import { awaitDecision } from './awaitDecision';
import {
  DEFAULT_ACCEPT_TIMEOUT_MS,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_TIMEOUT_MINUTES,
} from './defaults';
import { resolveRequester } from './requester';
import type {
  ProvisionHubActionsApi,
  ProvisionHubActionsOptions,
} from './types';
import { followRun } from './followRun';
import { outputRunResult } from './outputRunResult';
import { publishRunRequest } from './publishRunRequest';
import { RunRequestInput, validateRunRequest } from './validateRunRequest';

/** The context of a create action, whatever the exact schema of its kind. */
type RequestRunContext = ActionContext<any, any> & {
  input: RunRequestInput & { wait?: boolean; timeoutMinutes?: number };
};

/**
 * The handler of `provisionhub:system:create` and `provisionhub:component:create`:
 * authorize the initiator, validate, then dry-run, or publish and wait for the control plane to
 * accept or reject the request (a denied request fails the step with the rules' reasons), then
 * optionally follow the run.
 */
export async function requestRun(
  kind: CreateRunKind,
  ctx: RequestRunContext,
  options: ProvisionHubActionsOptions,
): Promise<void> {
  const credentials = await ctx.getInitiatorCredentials();
  const api = options.apiFor(credentials);
  const requestedBy = await resolveRequester(ctx);
  const { isAdmin } = await authorizeInitiator(
    options.permissions,
    credentials,
    requestedBy,
  );
  const { request, blueprint } = await validateRunRequest(api, kind, ctx.input);
  const where = request.system ? ` in system '${request.system}'` : '';
  ctx.logger.info(
    `Requesting ${kind} '${request.name}'${where} from blueprint ${blueprint.name}@${blueprint.version}, owned by ${request.owner}`,
  );

  if (ctx.isDryRun) {
    await reportDryRun(ctx, api, request);
    return;
  }

  const runId = await publishRunRequest(ctx, options.broker, request, {
    requestedBy,
    requesterIsAdmin: isAdmin,
  });
  const runUrl = options.runPageUrl(runId);
  ctx.logger.info(`Queued the request as run ${runId}: ${runUrl}`);
  ctx.output('runId', runId);
  ctx.output('runUrl', runUrl);
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  await awaitDecision({
    api,
    runId,
    runUrl,
    logger: ctx.logger,
    signal: ctx.signal,
    timeoutMs: options.acceptTimeoutMs ?? DEFAULT_ACCEPT_TIMEOUT_MS,
    pollIntervalMs,
  });
  if (!ctx.input.wait) {
    return;
  }

  const run = await followRun({
    api,
    runId,
    runUrl,
    logger: ctx.logger,
    signal: ctx.signal,
    timeoutMinutes: ctx.input.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES,
    pollIntervalMs,
  });
  outputRunResult(ctx, run);
}

async function reportDryRun(
  ctx: ActionContext<any, any>,
  api: ProvisionHubActionsApi,
  request: RunRequest,
) {
  const result = await api.dryRun(request);
  ctx.logger.info(
    `Dry run: blueprint ${result.blueprint.name}@${result.blueprint.version} (${result.blueprint.digest}) ` +
      `would create repository ${result.repositoryPath} with ${result.files.length} file(s); nothing was published`,
  );
  ctx.logger[result.policy.decision === 'deny' ? 'warn' : 'info'](
    `Policy: ${describePolicyDecision(result.policy)}`,
  );
  for (const file of result.files) {
    ctx.logger.info(
      `  ${file.path} (${file.size} bytes${
        file.executable ? ', executable' : ''
      })`,
    );
  }
  ctx.output('repositoryPath', result.repositoryPath);
  // Array.from: the templating engine only accepts arrays of this realm, and the parsed
  // response body may come from another one (the fetch implementation's).
  ctx.output(
    'files',
    Array.from(result.files, f => f.path),
  );
}
