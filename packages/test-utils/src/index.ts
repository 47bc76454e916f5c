/**
 * Test harness shared by every ProvisionHub package: a RabbitMQ vhost per test file, the
 * database engines store tests run on, real git helpers (and a repository whose pushes block until
 * released), a TCP proxy to cut connections, worker processes, silent signals and notifications
 * for test backends, the shipped catalog and polling helpers.
 *
 * @packageDocumentation
 */
export * from './amqp';
export * from './backendServices';
export * from './blockingRepository';
export * from './databases';
export * from './git';
export * from './localWorker';
export * from './tcpProxy';
export * from './waitFor';
export * from './workerProcess';
export * from './shippedEntities';
