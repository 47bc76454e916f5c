import { ResponseErrorPanel, WarningPanel } from '@backstage/core-components';
import { errorMessage, isPermissionDenied } from '../../utils/errors';

/**
 * Shows a failed call to the control plane: a plain "you do not have permission" panel for a
 * 403, Backstage's error panel (with the server's message and details) for anything else.
 */
export function ApiErrorPanel(props: {
  error: Error;
  /** What the user tried to do, completing "You do not have permission to …". */
  action: string;
  title?: string;
}) {
  const { error, action, title } = props;
  if (isPermissionDenied(error)) {
    return (
      <WarningPanel
        severity="warning"
        defaultExpanded
        title={`You do not have permission to ${action}`}
        message={`Ask your Backstage administrator for access. ProvisionHub said: ${errorMessage(
          error,
        )}`}
      />
    );
  }
  return <ResponseErrorPanel error={error} title={title} />;
}
