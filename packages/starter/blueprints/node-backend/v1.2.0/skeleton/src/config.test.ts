import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('uses the defaults chosen when the service was created', () => {
    const config = loadConfig({});
    assert.equal(config.serviceName, '${{ name }}');
    assert.equal(config.system, '${{ system }}');
    assert.equal(config.port, ${{ values.port }});
    assert.equal(config.logLevel, '${{ values.logLevel }}');
  });

  it('reads the environment', () => {
    const config = loadConfig({ PORT: '9000', LOG_LEVEL: 'debug', ENVIRONMENT: 'staging' });
    assert.equal(config.port, 9000);
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.environment, 'staging');
  });

  it('names the variable that is wrong', () => {
    assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT must be a whole number from 0 to 65535, got 'eighty'/);
    assert.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL must be one of debug, info, warn, error, got 'loud'/);
  });
});
