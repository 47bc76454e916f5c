/*
 * Loaded before the backend (`node --require ./src/instrumentation.js`): every plugin's metrics
 * (Backstage's metrics service is OpenTelemetry) are served for Prometheus at
 * http://<host>:9464/metrics. This is the metrics half of Backstage's "Setup OpenTelemetry"
 * tutorial, with a MeterProvider instead of the whole NodeSDK: the portal needs no traces or
 * auto-instrumentation. OTEL_EXPORTER_PROMETHEUS_HOST / _PORT change where it listens.
 */
const { isMainThread } = require('node:worker_threads');

// Worker threads load this file too; one exporter per process.
if (isMainThread) {
  const { metrics } = require('@opentelemetry/api');
  const { MeterProvider } = require('@opentelemetry/sdk-metrics');
  const { PrometheusExporter } = require('@opentelemetry/exporter-prometheus');

  const exporter = new PrometheusExporter({
    host: process.env.OTEL_EXPORTER_PROMETHEUS_HOST || undefined,
    port: Number(process.env.OTEL_EXPORTER_PROMETHEUS_PORT || 9464),
  });
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));
}
