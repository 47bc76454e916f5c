export { ComponentEnvironmentsCard } from './ComponentEnvironmentsCard';
export { EntityComponentEnvironments } from './EntityComponentEnvironments';
