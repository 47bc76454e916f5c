/**
 * Test harness shared by every ProvisionHub package: a RabbitMQ vhost per test file, the
 * database engines store tests run on, figures for the benchmarks, real git helpers (and a
 * repository whose pushes block until released), GitHub, GitLab and Argo CD test servers, a TCP proxy to cut connections, worker processes,
 * silent signals and notifications for test backends, the shipped catalog, hostile blueprints and
 * polling helpers.
 *
 * @packageDocumentation
 */
export * from './amqp';
export * from './bench';
export * from './backendServices';
export * from './blockingRepository';
export * from './databases';
export * from './fiftyFileBlueprint';
export * from './git';
export * from './FakeArgoCd';
export * from './FakeGitHub';
export * from './FakeGitLab';
export * from './localWorker';
export * from './tcpProxy';
export * from './waitFor';
export * from './workerProcess';
export * from './hostileBlueprints';
export * from './shippedEntities';
