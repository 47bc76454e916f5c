import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * The ProvisionHub entity provider: provisioned Systems and Components. Every key is
       * optional; without any, the provider refreshes every 5 minutes.
       */
      provisionhub?: {
        /**
         * Names the provider `provisionhub-provider:<id>`. Changing it makes the catalog treat the
         * entities as coming from a new provider. Defaults to `default`.
         */
        id?: string;
        /**
         * When the full refresh from the control plane runs. Defaults to every 5 minutes, with a
         * 3 minute timeout and a 10 second delay after startup. Newly provisioned entities do not
         * wait for it: they arrive through the events service within seconds.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
