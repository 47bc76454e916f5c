export { ComponentUpgradeCard } from './ComponentUpgradeCard';
export { EntityComponentUpgrade } from './EntityComponentUpgrade';
