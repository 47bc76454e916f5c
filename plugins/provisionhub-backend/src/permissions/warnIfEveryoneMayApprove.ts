import type {
  LoggerService,
  RootConfigService,
  RootInstanceMetadataService,
} from '@backstage/backend-plugin-api';

/** The module of `@backstage/plugin-permission-backend-module-allow-all-policy`, which create-app installs. */
const ALLOW_ALL_POLICY = {
  pluginId: 'permission',
  moduleId: 'allow-all-policy',
};

/**
 * Logs a warning when the portal's permissions grant `provisionhub.run.approve` to everyone:
 * the permission framework is off (`permission.enabled` is not true), or the permission backend
 * runs Backstage's allow-all policy. A policy of the portal's own is not evaluated here (there is
 * no user at startup to ask it about).
 *
 * @returns why everyone may approve, or undefined when a policy of the portal decides
 * @internal
 */
export async function warnIfEveryoneMayApprove(deps: {
  config: RootConfigService;
  instanceMetadata: RootInstanceMetadataService;
  logger: LoggerService;
}): Promise<string | undefined> {
  const reason = await whyEveryoneMayApprove(deps);
  if (reason) {
    deps.logger.warn(
      `provisionhub.run.approve is granted to everyone because ${reason}: anyone signed in other than the requester can approve a run whose policy rule names no approver groups, and everyone also holds provisionhub.admin (no ownership checks) and may cancel or retry any run. Give the permission backend a policy that returns decideProvisionHubPermission(...) from @provisionhub/plugin-provisionhub-backend for ProvisionHub's permissions (its README, "A policy in a few lines").`,
    );
  }
  return reason;
}

async function whyEveryoneMayApprove(deps: {
  config: RootConfigService;
  instanceMetadata: RootInstanceMetadataService;
}): Promise<string | undefined> {
  if (deps.config.getOptionalBoolean('permission.enabled') !== true) {
    return 'permission.enabled is not true (Backstage then allows every permission)';
  }
  const plugins = await deps.instanceMetadata.getInstalledPlugins();
  const allowAll = plugins.some(
    plugin =>
      plugin.pluginId === ALLOW_ALL_POLICY.pluginId &&
      plugin.modules.some(m => m.moduleId === ALLOW_ALL_POLICY.moduleId),
  );
  return allowAll
    ? "the permission backend's policy is Backstage's allow-all policy (module allow-all-policy)"
    : undefined;
}
