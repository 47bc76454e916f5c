import { topologyNames } from '@provisionhub/plugin-provisionhub-node';
import { readiness } from './readiness';

describe('readiness', () => {
  const broker = (connected: boolean) => ({
    isConnected: () => connected,
    names: topologyNames('provisionhub'),
  });
  const worker = (state: { stopping?: boolean; consuming?: boolean }) => ({
    stopping: state.stopping ?? false,
    isConsuming: () => state.consuming ?? true,
  });

  it('is ready when connected, consuming and not draining', () => {
    expect(readiness(broker(true), worker({}))).toEqual({
      ok: true,
      detail: 'connected to RabbitMQ, consuming provisionhub.jobs',
    });
  });

  it.each([
    ['starting', broker(true), undefined],
    ['shutting down', broker(true), worker({ stopping: true })],
    ['not connected to RabbitMQ', broker(false), worker({ consuming: false })],
    [
      'not consuming provisionhub.jobs',
      broker(true),
      worker({ consuming: false }),
    ],
  ])('is not ready, saying %s', (detail, b, w) => {
    expect(readiness(b, w)).toEqual({ ok: false, detail });
  });
});
