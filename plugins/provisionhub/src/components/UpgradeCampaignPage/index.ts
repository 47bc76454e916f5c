export { UpgradeCampaignPage } from './UpgradeCampaignPage';
