export {
  RunStatusLabel,
  StepStatusLabel,
  runStatusText,
} from './RunStatusLabel';
