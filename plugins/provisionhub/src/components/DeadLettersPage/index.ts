export { DeadLettersPage } from './DeadLettersPage';
