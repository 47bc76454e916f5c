import { InfoCard } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  Run,
  isTerminalRunStatus,
} from '@provisionhub/plugin-provisionhub-common';
import {
  Bar,
  CartesianGrid,
  Cell,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatDuration, runDurationMs } from '../../utils/format';

/** How many of the latest finished runs the success rate is computed over. */
const SUCCESS_WINDOW = 10;

interface Point {
  label: string;
  name: string;
  seconds: number;
  status: Run['status'];
  successRate: number;
}

/** Finished runs oldest first, with the rolling success rate up to each of them. */
export function chartPoints(runs: Run[]): Point[] {
  const finished = runs
    .filter(
      run =>
        isTerminalRunStatus(run.status) &&
        run.finishedAt &&
        run.status !== 'rejected',
    )
    .sort((a, b) => Date.parse(a.finishedAt!) - Date.parse(b.finishedAt!));
  return finished.map((run, index) => {
    const window = finished.slice(
      Math.max(0, index + 1 - SUCCESS_WINDOW),
      index + 1,
    );
    const succeeded = window.filter(r => r.status === 'succeeded').length;
    return {
      label: new Date(run.finishedAt!).toLocaleDateString(undefined, {
        day: 'numeric',
        month: 'short',
      }),
      name: `${run.kind} ${run.name}`,
      seconds: Math.round((runDurationMs(run) ?? 0) / 100) / 10,
      status: run.status,
      successRate: Math.round((succeeded / window.length) * 100),
    };
  });
}

function median(values: number[]): number | undefined {
  if (values.length === 0) {
    return undefined;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Run durations (bars, coloured by outcome) and the rolling success rate (line) over time. */
export function RunDurationChart(props: { runs: Run[] }) {
  const theme = useTheme();
  const points = chartPoints(props.runs);
  const succeeded = points.filter(p => p.status === 'succeeded').length;
  const medianSeconds = median(points.map(p => p.seconds));
  const colorOf = (status: Run['status']) => {
    if (status === 'succeeded') {
      return theme.palette.success.main;
    }
    return status === 'failed'
      ? theme.palette.error.main
      : theme.palette.grey[500];
  };

  return (
    <InfoCard
      title="Run durations and success"
      subheader={
        points.length === 0
          ? undefined
          : `${points.length} finished runs · ${Math.round(
              (succeeded / points.length) * 100,
            )}% succeeded · median ${formatDuration(
              medianSeconds === undefined ? undefined : medianSeconds * 1000,
            )}`
      }
    >
      {points.length === 0 ? (
        <Typography color="textSecondary">
          No finished runs yet: the chart fills in as runs complete.
        </Typography>
      ) : (
        <ResponsiveContainer width="100%" height={260}>
          <ComposedChart data={points}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" />
            <YAxis yAxisId="seconds" unit=" s" />
            <YAxis
              yAxisId="rate"
              orientation="right"
              unit="%"
              domain={[0, 100]}
            />
            <Tooltip />
            <Legend />
            <Bar yAxisId="seconds" dataKey="seconds" name="Duration (s)">
              {points.map((p, i) => (
                <Cell key={i} fill={colorOf(p.status)} />
              ))}
            </Bar>
            <Line
              yAxisId="rate"
              type="monotone"
              dataKey="successRate"
              name={`Success rate, last ${SUCCESS_WINDOW} runs (%)`}
              stroke={theme.palette.primary.main}
              dot={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      )}
    </InfoCard>
  );
}
