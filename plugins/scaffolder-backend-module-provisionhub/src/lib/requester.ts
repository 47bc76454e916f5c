import type {
  BackstageCredentials,
  BackstageNonePrincipal,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';

/**
 * Who asked for the run: the user who started the template, else whoever the task's
 * credentials belong to (a service starting tasks through the API).
 */
export async function resolveRequester(ctx: {
  user?: { ref?: string };
  getInitiatorCredentials(): Promise<BackstageCredentials>;
}): Promise<string> {
  if (ctx.user?.ref) {
    return ctx.user.ref;
  }
  const { principal } =
    (await ctx.getInitiatorCredentials()) as BackstageCredentials<
      | BackstageUserPrincipal
      | BackstageServicePrincipal
      | BackstageNonePrincipal
    >;
  if (principal.type === 'user') {
    return principal.userEntityRef;
  }
  if (principal.type === 'service') {
    return principal.subject;
  }
  throw new NotAllowedError(
    'Cannot tell who started this task, and every provisioning run records its requester; start the template signed in',
  );
}
