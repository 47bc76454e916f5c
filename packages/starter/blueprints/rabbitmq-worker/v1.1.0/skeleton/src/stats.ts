export type Outcome = 'acked' | 'requeued' | 'dead_lettered';

/** Counters of the worker, served on /metrics in the Prometheus text format. */
export class Stats {
  readonly #outcomes = new Map<Outcome, number>();
  consuming = false;
  inFlight = 0;

  count(outcome: Outcome): void {
    this.#outcomes.set(outcome, (this.#outcomes.get(outcome) ?? 0) + 1);
  }

  get(outcome: Outcome): number {
    return this.#outcomes.get(outcome) ?? 0;
  }

  render(): string {
    const outcomes: Outcome[] = ['acked', 'requeued', 'dead_lettered'];
    return [
      '# HELP worker_messages_total Messages handled, by outcome.',
      '# TYPE worker_messages_total counter',
      ...outcomes.map(o => `worker_messages_total{outcome="${o}"} ${this.get(o)}`),
      '# HELP worker_messages_in_flight Messages being handled right now.',
      '# TYPE worker_messages_in_flight gauge',
      `worker_messages_in_flight ${this.inFlight}`,
      '# HELP worker_consuming 1 while the worker consumes its queue.',
      '# TYPE worker_consuming gauge',
      `worker_consuming ${this.consuming ? 1 : 0}`,
      '',
    ].join('\n');
  }
}
