export { SystemsTable } from './SystemsTable';
