/** Upper bounds of the request duration histogram, in seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Series {
  labels: string;
  count: number;
  sum: number;
  buckets: number[];
}

/**
 * Request counters and durations in the Prometheus text format, served on /metrics. Only the
 * route pattern is used as a label (never the raw URL), so the number of series stays bounded.
 */
export class Metrics {
  readonly #series = new Map<string, Series>();

  observe(method: string, route: string, status: number, seconds: number): void {
    const labels = `method="${method}",route="${route}",status="${status}"`;
    let series = this.#series.get(labels);
    if (!series) {
      series = { labels, count: 0, sum: 0, buckets: BUCKETS.map(() => 0) };
      this.#series.set(labels, series);
    }
    series.count += 1;
    series.sum += seconds;
    BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) {
        series.buckets[i] += 1;
      }
    });
  }

  render(): string {
    const lines = [
      '# HELP http_requests_total HTTP requests handled, by method, route and status.',
      '# TYPE http_requests_total counter',
    ];
    for (const s of this.#series.values()) {
      lines.push(`http_requests_total{${s.labels}} ${s.count}`);
    }
    lines.push(
      '# HELP http_request_duration_seconds Time to answer HTTP requests.',
      '# TYPE http_request_duration_seconds histogram',
    );
    for (const s of this.#series.values()) {
      BUCKETS.forEach((bound, i) => {
        lines.push(`http_request_duration_seconds_bucket{${s.labels},le="${bound}"} ${s.buckets[i]}`);
      });
      lines.push(`http_request_duration_seconds_bucket{${s.labels},le="+Inf"} ${s.count}`);
      lines.push(`http_request_duration_seconds_sum{${s.labels}} ${s.sum}`);
      lines.push(`http_request_duration_seconds_count{${s.labels}} ${s.count}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
