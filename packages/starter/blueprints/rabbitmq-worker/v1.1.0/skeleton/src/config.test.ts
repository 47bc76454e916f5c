import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from './config.js';

const AMQP_URL = 'amqp://user:secret@rabbitmq:5672/';

describe('loadConfig', () => {
  it('needs AMQP_URL and says how it looks', () => {
    assert.throws(() => loadConfig({}), /AMQP_URL must be set to the broker URL, e\.g\. amqp:\/\//);
  });

  it('uses the settings chosen when the worker was created', () => {
    const config = loadConfig({ AMQP_URL });
    assert.equal(config.queue, '${{ name }}');
    assert.equal(config.exchange, '${{ values.exchange or system }}');
    assert.equal(config.bindingKey, '${{ values.bindingKey or (name + ".#") }}');
    assert.equal(config.prefetch, ${{ values.prefetch }});
    assert.equal(config.deliveryLimit, ${{ values.deliveryLimit }});
  });

  it('names the variable that is wrong', () => {
    assert.throws(() => loadConfig({ AMQP_URL, PREFETCH: '0' }), /PREFETCH must be a whole number from 1 to 1000, got '0'/);
    assert.throws(() => loadConfig({ AMQP_URL, LOG_LEVEL: 'loud' }), /LOG_LEVEL must be one of/);
  });
});
