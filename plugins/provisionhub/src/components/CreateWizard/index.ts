export { CreateSystemPage, CreateComponentPage } from './CreatePages';
export { CreateWizard } from './CreateWizard';
