export { ApprovalQueue } from './ApprovalQueue';
