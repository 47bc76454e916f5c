import type { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import type { OidcAuthResult } from '@backstage/plugin-auth-backend-module-oidc-provider';
import {
  OAuthAuthenticatorResult,
  createSignInResolverFactory,
} from '@backstage/plugin-auth-node';
import { z } from 'zod/v3';
import { providerGroupRefs } from './providerGroups';

/**
 * Sign-in resolver `catalogUserWithProviderGroups` for the `oidc` provider: finds the catalog
 * User whose `spec.profile.email` is the provider's verified `email`, and signs them in with
 * the catalog's ownership refs (the user and their `memberOf` groups) plus the groups of the
 * provider's groups claim, so group membership kept in the identity provider (e.g. Keycloak
 * groups) counts for ownership and for ProvisionHub approvals.
 *
 * Refuses with a message that says what to fix when the provider sends no verified email or no
 * catalog user has it (a refusal, not a NotFoundError: no later resolver runs).
 */
export function createCatalogUserWithProviderGroups(logger: LoggerService) {
  return createSignInResolverFactory({
    optionsSchema: z
      .object({
        /** The userinfo (or ID token) claim that lists the user's groups. */
        groupsClaim: z.string().min(1).default('groups'),
        /** Catalog namespace of groups named without one. */
        groupNamespace: z.string().min(1).default('default'),
      })
      .default({}),
    create({ groupsClaim, groupNamespace }) {
      return async (
        info: { result: OAuthAuthenticatorResult<OidcAuthResult> },
        ctx,
      ) => {
        const { userinfo, tokenset } = info.result.fullProfile;
        const who = String(
          userinfo.preferred_username ?? userinfo.sub ?? 'this user',
        );
        const email = userinfo.email;
        if (typeof email !== 'string' || userinfo.email_verified !== true) {
          throw new NotAllowedError(
            `The identity provider sent no verified email for ${who}; the portal finds your catalog user by email. Ask the identity provider's administrator to set and verify it.`,
          );
        }
        let entity;
        try {
          ({ entity } = await ctx.findCatalogUser({
            filter: { 'spec.profile.email': email },
          }));
        } catch (error) {
          if ((error as Error).name !== 'NotFoundError') {
            throw error;
          }
          throw new NotAllowedError(
            `You signed in at the identity provider as ${who} (${email}), but no User entity in the catalog has spec.profile.email ${email}. Ask a portal administrator to add you to the catalog.`,
          );
        }
        const claim =
          userinfo[groupsClaim] ??
          (tokenset.id_token ? tokenset.claims()[groupsClaim] : undefined);
        const groups = providerGroupRefs(claim, groupNamespace);
        if (groups.ignored.length) {
          logger.warn(
            `Sign-in of ${who}: ignored values of the '${groupsClaim}' claim that name no group: ${JSON.stringify(
              groups.ignored,
            )}`,
          );
        }
        const { ownershipEntityRefs } = await ctx.resolveOwnershipEntityRefs(
          entity,
        );
        return ctx.issueToken({
          claims: {
            sub: stringifyEntityRef(entity),
            ent: [...new Set([...ownershipEntityRefs, ...groups.refs])],
          },
        });
      };
    },
  });
}
