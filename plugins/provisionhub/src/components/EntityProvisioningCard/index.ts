export { EntityProvisioningCard } from './EntityProvisioningCard';
