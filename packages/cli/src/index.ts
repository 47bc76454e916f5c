/**
 * provisionhub: the ProvisionHub command line, for people in a terminal and for CI pipelines.
 *
 * @packageDocumentation
 */
export { main } from './main';
export { EXIT, CliError, toCliError } from './lib/errors';
