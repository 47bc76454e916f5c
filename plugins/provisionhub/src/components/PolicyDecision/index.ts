export { PolicyDecisionCard } from './PolicyDecisionCard';
