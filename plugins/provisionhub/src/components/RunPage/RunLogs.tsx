import { useMemo } from 'react';
import { InfoCard, LogViewer } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { RunLogLine } from '@provisionhub/plugin-provisionhub-common';

/** ANSI colours for the levels, so the LogViewer's filter and colours work. */
const LEVEL_PREFIX: Record<RunLogLine['level'], string> = {
  debug: '\u001b[90mDEBUG\u001b[0m',
  info: '\u001b[36mINFO \u001b[0m',
  warn: '\u001b[33mWARN \u001b[0m',
  error: '\u001b[31mERROR\u001b[0m',
};

/** One text line per log line: time, level, step and message. */
export function formatLogLine(line: RunLogLine): string {
  const time = line.at.slice(11, 23) || line.at;
  const step = line.step ? ` [${line.step}]` : '';
  return `${time} ${LEVEL_PREFIX[line.level] ?? line.level}${step} ${
    line.message
  }`;
}

/** The run's log, growing as lines arrive. */
export function RunLogs(props: {
  logs: RunLogLine[];
  live: 'signals' | 'polling';
  finished: boolean;
}) {
  const text = useMemo(
    () => props.logs.map(formatLogLine).join('\n'),
    [props.logs],
  );
  const subheader = props.finished
    ? `${props.logs.length} lines`
    : `${props.logs.length} lines · live (${
        props.live === 'signals' ? 'pushed' : 'polling'
      })`;
  return (
    <InfoCard title="Logs" subheader={subheader} noPadding>
      {props.logs.length === 0 ? (
        <Box p={2}>
          <Typography color="textSecondary">No log lines yet.</Typography>
        </Box>
      ) : (
        <Box height={480}>
          <LogViewer text={text} />
        </Box>
      )}
    </InfoCard>
  );
}
