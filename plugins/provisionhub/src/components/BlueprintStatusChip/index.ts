export { BlueprintStatusChip } from './BlueprintStatusChip';
