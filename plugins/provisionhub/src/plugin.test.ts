import { ProvisionHubClient } from '@provisionhub/plugin-provisionhub-common';
import { provisionHubApiRef } from './api';
import {
  EntityProvisioningCard,
  EntityProvisioningContent,
  ProvisionHubPage,
  isProvisionHubAvailable,
  provisionhubPlugin,
} from './index';
import { provisionedEntity } from './__testUtils__/fakes';

describe('provisionhubPlugin (legacy frontend system)', () => {
  it('registers ProvisionHubClient as the ProvisionHub API', () => {
    expect(provisionhubPlugin.getId()).toBe('provisionhub');
    const factory = [...provisionhubPlugin.getApis()].find(
      f => f.api.id === provisionHubApiRef.id,
    );
    expect(factory).toBeDefined();
    const fetchApi = { fetch: jest.fn() };
    const discoveryApi = { getBaseUrl: jest.fn() };
    expect(factory!.factory({ fetchApi, discoveryApi })).toBeInstanceOf(
      ProvisionHubClient,
    );
  });

  it('provides the page and the entity extensions', () => {
    expect(ProvisionHubPage).toBeDefined();
    expect(EntityProvisioningContent).toBeDefined();
    expect(EntityProvisioningCard).toBeDefined();
  });

  it('detects provisioned entities by their run annotation', () => {
    expect(isProvisionHubAvailable(provisionedEntity('Component'))).toBe(true);
    expect(isProvisionHubAvailable(provisionedEntity('System', {}))).toBe(
      false,
    );
  });
});
