/**
 * Test harness shared by every ProvisionHub package: a RabbitMQ vhost per test file, the
 * database engines store tests run on, real git helpers and polling helpers.
 *
 * @packageDocumentation
 */
export * from './amqp';
export * from './databases';
export * from './git';
export * from './waitFor';
export * from './workerProcess';
export * from './hostileBlueprints';
