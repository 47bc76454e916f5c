import { InfoCard } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import Timeline from '@material-ui/lab/Timeline';
import TimelineConnector from '@material-ui/lab/TimelineConnector';
import TimelineContent from '@material-ui/lab/TimelineContent';
import TimelineDot from '@material-ui/lab/TimelineDot';
import TimelineItem from '@material-ui/lab/TimelineItem';
import TimelineOppositeContent from '@material-ui/lab/TimelineOppositeContent';
import TimelineSeparator from '@material-ui/lab/TimelineSeparator';
import type {
  RunStep,
  StepStatus,
} from '@provisionhub/plugin-provisionhub-common';
import { formatDuration } from '../../utils/format';
import { StepStatusLabel } from '../RunStatusLabel';

const DOT_COLOR: Record<StepStatus, 'grey' | 'primary' | 'secondary'> = {
  pending: 'grey',
  running: 'primary',
  succeeded: 'primary',
  skipped: 'grey',
  failed: 'secondary',
  cancelled: 'grey',
};

function stepDurationMs(step: RunStep, now: number): number | undefined {
  if (step.durationMs !== undefined) {
    return step.durationMs;
  }
  if (step.startedAt) {
    const end = step.finishedAt ? Date.parse(step.finishedAt) : now;
    return end - Date.parse(step.startedAt);
  }
  return undefined;
}

/** The planned steps of a run in order, each with its status, duration and error. */
export function RunStepsTimeline(props: { steps: RunStep[]; now?: number }) {
  const now = props.now ?? Date.now();
  return (
    <InfoCard title="Steps">
      {props.steps.length === 0 ? (
        <Typography color="textSecondary">
          The steps are planned when the run is queued.
        </Typography>
      ) : (
        <Timeline align="left">
          {props.steps.map((step, index) => (
            <TimelineItem key={step.id} data-testid={`step-${step.id}`}>
              <TimelineOppositeContent style={{ flex: 0.2 }}>
                <Typography variant="body2" color="textSecondary">
                  {formatDuration(stepDurationMs(step, now))}
                </Typography>
              </TimelineOppositeContent>
              <TimelineSeparator>
                <TimelineDot
                  color={DOT_COLOR[step.status]}
                  variant={step.status === 'pending' ? 'outlined' : 'default'}
                />
                {index < props.steps.length - 1 && <TimelineConnector />}
              </TimelineSeparator>
              <TimelineContent>
                <Typography variant="subtitle2">{step.title}</Typography>
                <StepStatusLabel status={step.status} />
                {step.attempt !== undefined && step.attempt > 1 && (
                  <Typography variant="caption" color="textSecondary">
                    {' '}
                    (attempt {step.attempt})
                  </Typography>
                )}
                {step.detail && (
                  <Typography variant="body2" color="textSecondary">
                    {step.detail}
                  </Typography>
                )}
                {step.error && (
                  <Typography variant="body2" color="error">
                    {step.error}
                  </Typography>
                )}
              </TimelineContent>
            </TimelineItem>
          ))}
        </Timeline>
      )}
    </InfoCard>
  );
}
