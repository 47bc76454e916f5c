import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import {
  BlueprintVersionStatus,
  MODIFIED_BLUEPRINT_REASON,
  UNTRUSTED_BLUEPRINT_REASON,
} from '@provisionhub/plugin-provisionhub-common';

/** The short label of why a version cannot be used. */
function labelOf(reason: string): string {
  if (reason.startsWith(MODIFIED_BLUEPRINT_REASON)) {
    return MODIFIED_BLUEPRINT_REASON;
  }
  if (reason.startsWith(UNTRUSTED_BLUEPRINT_REASON)) {
    return UNTRUSTED_BLUEPRINT_REASON;
  }
  return 'cannot be used';
}

/**
 * Says why runs of a blueprint version are refused (not from a trusted source, modified after
 * publication, …), with the control plane's full reason as a tooltip. Renders nothing for a
 * usable version.
 */
export function BlueprintStatusChip(props: {
  status?: BlueprintVersionStatus;
}) {
  const { status } = props;
  if (!status || status.usable) {
    return null;
  }
  const reason = status.reason ?? 'cannot be used';
  return (
    <Tooltip title={reason}>
      <Chip
        size="small"
        color="secondary"
        label={labelOf(reason)}
        aria-label={reason}
      />
    </Tooltip>
  );
}
