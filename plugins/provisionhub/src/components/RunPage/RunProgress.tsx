import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import type { Run } from '@provisionhub/plugin-provisionhub-common';

const DONE = new Set(['succeeded', 'skipped']);

/** Share of steps finished, as a bar and as text. */
export function RunProgress(props: { run: Run }) {
  const steps = props.run.steps ?? [];
  const total = steps.length;
  // A succeeded run may report steps it never needed (e.g. skipped by an older worker) as pending.
  const done =
    props.run.status === 'succeeded'
      ? total
      : steps.filter(step => DONE.has(step.status)).length;
  let value = total === 0 ? 0 : Math.round((done / total) * 100);
  if (props.run.status === 'succeeded') {
    value = 100;
  }
  return (
    <Box>
      <LinearProgress
        variant="determinate"
        value={value}
        color={props.run.status === 'failed' ? 'secondary' : 'primary'}
        aria-label="Run progress"
      />
      <Typography variant="body2" color="textSecondary">
        {total === 0
          ? 'No steps planned yet'
          : `${done} of ${total} steps done (${value}%)`}
      </Typography>
    </Box>
  );
}
