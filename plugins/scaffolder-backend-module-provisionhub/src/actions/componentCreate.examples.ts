import type { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const examples: TemplateExample[] = [
  {
    description:
      'Request a Node.js backend in the payments system (the system as EntityPicker returns it) and move on once it is queued.',
    example: `steps:
  - id: request-component
    action: provisionhub:component:create
    name: Request the component
    input:
      name: payments-api
      owner: group:default/payments-team
      system: system:default/payments
      blueprint: node-backend
      values:
        description: Takes payments
        port: 8080
`,
  },
  {
    description:
      'Pin the blueprint version with name@version, then wait up to 20 minutes for the repository and the catalog entity.',
    example: `steps:
  - id: create-component
    action: provisionhub:component:create
    name: Create the component
    input:
      name: payments-api
      owner: group:default/payments-team
      system: payments
      blueprint: node-backend@1.0.0
      values:
        description: Takes payments
      wait: true
      timeoutMinutes: 20
`,
  },
];
