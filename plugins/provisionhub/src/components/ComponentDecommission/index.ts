export { ComponentDecommissionCard } from './ComponentDecommissionCard';
