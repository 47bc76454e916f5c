/*
 * The ProvisionHub dev portal backend: a complete Backstage backend with every ProvisionHub
 * plugin installed with exactly the lines of docs/install.md (installGuide.test.ts checks it).
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Auth: guest sign-in for local development; OIDC with the provider's groups in the sign-in
// token (app-config.oidc.yaml: the local provider; app-config.production.yaml: Keycloak).
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('./auth/oidcAuthModule'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-permission-backend'));

// ProvisionHub (docs/install.md): the Blueprint kind and provisioned entities in the catalog,
// the provisionhub:* scaffolder actions, the control plane, and the portal's permission policy.
backend.add(import('@provisionhub/plugin-catalog-backend-module-provisionhub'));
backend.add(
  import('@provisionhub/plugin-scaffolder-backend-module-provisionhub'),
);
backend.add(import('@provisionhub/plugin-provisionhub-backend'));
backend.add(import('./permissionPolicy'));

// MCP server for AI agents at /api/mcp-actions/v1: the actions of backend.actions.pluginSources
// (ProvisionHub's provisionhub:* actions) as MCP tools, run with the caller's permissions.
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-user-settings-backend'));
// Events bus: carries provisioned entities to the catalog across backend replicas.
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.start();
