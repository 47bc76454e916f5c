export { ComponentPage } from './ComponentPage';
