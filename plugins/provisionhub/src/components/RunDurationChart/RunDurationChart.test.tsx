import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { makeRun } from '../../__testUtils__/fakes';
import { RunDurationChart, chartPoints } from './RunDurationChart';

const finished = (
  id: string,
  status: 'succeeded' | 'failed' | 'cancelled',
  at: string,
  seconds: number,
) =>
  makeRun({
    id,
    status,
    startedAt: new Date(Date.parse(at) - seconds * 1000).toISOString(),
    finishedAt: at,
  });

describe('RunDurationChart', () => {
  it('orders finished runs by time with a rolling success rate', () => {
    const points = chartPoints([
      finished('c', 'succeeded', '2026-11-27T12:00:00.000Z', 30),
      finished('a', 'succeeded', '2026-11-27T10:00:00.000Z', 10),
      makeRun({ id: 'running', status: 'running' }),
      finished('b', 'failed', '2026-11-27T11:00:00.000Z', 2.5),
    ]);
    expect(points.map(p => [p.seconds, p.status, p.successRate])).toEqual([
      [10, 'succeeded', 100],
      [2.5, 'failed', 50],
      [30, 'succeeded', 67],
    ]);
  });

  it('summarises the runs', async () => {
    await renderInTestApp(
      <RunDurationChart
        runs={[
          finished('a', 'succeeded', '2026-11-27T10:00:00.000Z', 10),
          finished('b', 'cancelled', '2026-11-27T11:00:00.000Z', 20),
        ]}
      />,
    );
    expect(
      screen.getByText('2 finished runs · 50% succeeded · median 15 s'),
    ).toBeInTheDocument();
  });

  it('says when there is nothing to chart yet', async () => {
    await renderInTestApp(
      <RunDurationChart runs={[makeRun({ status: 'queued' })]} />,
    );
    expect(screen.getByText(/No finished runs yet/)).toBeInTheDocument();
  });
});
