export { CreateButton } from './CreateButton';
