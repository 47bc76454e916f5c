export { ProvisionHubPage } from './ProvisionHubPage';
