import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { provisionHubApiRef } from '../../api';
import { isNotFound } from '../../utils/errors';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { ComponentUpgradeCard } from './ComponentUpgradeCard';

/**
 * The upgrade card of a catalog Component, when ProvisionHub provisioned it; nothing while it
 * loads (the card beside it shows the progress).
 */
export function EntityComponentUpgrade(props: { name: string }) {
  const api = useApi(provisionHubApiRef);
  const { value, loading, error } = useAsync(
    () => api.getComponent(props.name),
    [api, props.name],
  );
  if (loading) {
    return null;
  }
  if (error) {
    // A component ProvisionHub no longer records has nothing to upgrade.
    return isNotFound(error) ? null : (
      <ApiErrorPanel error={error} action="view this component" />
    );
  }
  return value ? <ComponentUpgradeCard component={value} /> : null;
}
