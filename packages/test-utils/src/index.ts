/**
 * Test harness shared by every ProvisionHub package: a RabbitMQ vhost per test file, the
 * database engines store tests run on, figures for the benchmarks, real git helpers, a TCP proxy to cut connections, and polling helpers.
 *
 * @packageDocumentation
 */
export * from './amqp';
export * from './bench';
export * from './databases';
export * from './fiftyFileBlueprint';
export * from './git';
export * from './tcpProxy';
export * from './waitFor';
export * from './workerProcess';
export * from './hostileBlueprints';
