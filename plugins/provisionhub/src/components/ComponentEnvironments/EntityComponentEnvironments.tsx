import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import useAsync from 'react-use/esm/useAsync';
import { provisionHubApiRef } from '../../api';
import { ComponentEnvironmentsCard } from './ComponentEnvironmentsCard';

/**
 * The environments card of a catalog Component, when ProvisionHub provisioned it and the portal
 * has environments; nothing while it loads or when it cannot be loaded (the cards beside it show
 * the progress and the error).
 */
export function EntityComponentEnvironments(props: { name: string }) {
  const api = useApi(provisionHubApiRef);
  const { value, loading, error } = useAsync(
    () => api.getComponent(props.name),
    [api, props.name],
  );
  // The upgrade card in the same tab loads the same component and reports its errors.
  if (loading || error || !value || value.environments.length === 0) {
    return null;
  }
  return (
    <Box mb={3}>
      <ComponentEnvironmentsCard component={value} />
    </Box>
  );
}
