import { Content, Header, Page, Progress } from '@backstage/core-components';
import {
  identityApiRef,
  useApi,
  useRouteRefParams,
} from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { provisionHubApiRef } from '../../api';
import { createComponentRouteRef } from '../../routes';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { CreateWizard } from './CreateWizard';

/** The user's first group, else the user: who usually owns what they create. */
function useDefaultOwner() {
  const identityApi = useApi(identityApiRef);
  return useAsync(async () => {
    const identity = await identityApi.getBackstageIdentity();
    return (
      identity.ownershipEntityRefs.find(ref => ref.startsWith('group:')) ??
      identity.userEntityRef
    );
  }, [identityApi]);
}

/** The wizard for a new system. */
export function CreateSystemPage() {
  const owner = useDefaultOwner();
  return (
    <Page themeId="tool">
      <Header title="Create system" type="ProvisionHub" />
      <Content>
        {owner.loading ? (
          <Progress />
        ) : (
          <CreateWizard kind="system" defaultOwner={owner.value} />
        )}
      </Content>
    </Page>
  );
}

/** The wizard for a new component of the system in the URL. */
export function CreateComponentPage() {
  const { name } = useRouteRefParams(createComponentRouteRef);
  const api = useApi(provisionHubApiRef);
  const system = useAsync(() => api.getSystem(name), [api, name]);
  let content;
  if (system.loading) {
    content = <Progress />;
  } else if (system.error || !system.value) {
    content = (
      <ApiErrorPanel
        error={system.error ?? new Error(`System ${name} was not found`)}
        action="view this system"
      />
    );
  } else {
    content = (
      <CreateWizard
        kind="component"
        system={system.value.name}
        defaultOwner={system.value.owner}
      />
    );
  }
  return (
    <Page themeId="tool">
      <Header
        title="Create component"
        subtitle={`In system ${name}`}
        type="ProvisionHub"
      />
      <Content>{content}</Content>
    </Page>
  );
}
