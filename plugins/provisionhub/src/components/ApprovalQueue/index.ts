export { ApprovalQueue } from './ApprovalQueue';
export { ApprovalActions } from './ApprovalActions';
