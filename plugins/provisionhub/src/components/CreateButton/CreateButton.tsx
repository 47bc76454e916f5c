import { LinkButton } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import AddIcon from '@material-ui/icons/Add';
import { runCreatePermission } from '@provisionhub/plugin-provisionhub-common';

/** "Create system" / "Create component": a link to the wizard, disabled without permission. */
export function CreateButton(props: {
  to: string;
  label: string;
  what: string;
}) {
  const { loading, allowed } = usePermission({
    permission: runCreatePermission,
  });
  if (loading || !allowed) {
    return (
      <Tooltip
        title={
          loading
            ? 'Checking permissions…'
            : `You do not have permission to create ${props.what}`
        }
      >
        <span>
          <Button
            variant="contained"
            color="primary"
            disabled
            startIcon={<AddIcon />}
          >
            {props.label}
          </Button>
        </span>
      </Tooltip>
    );
  }
  return (
    <LinkButton
      to={props.to}
      variant="contained"
      color="primary"
      startIcon={<AddIcon />}
    >
      {props.label}
    </LinkButton>
  );
}
