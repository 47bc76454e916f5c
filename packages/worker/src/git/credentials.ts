// Part of the worker module API (Git providers in modules need it too).
export {
  gitCredentialsEnv as credentialsEnv,
  gitCredentialSecrets as credentialSecrets,
} from '@provisionhub/plugin-provisionhub-node';
