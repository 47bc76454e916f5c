import type { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const examples: TemplateExample[] = [
  {
    description:
      'Request a system from the latest version of the system blueprint and move on once it is queued.',
    example: `steps:
  - id: request-system
    action: provisionhub:system:create
    name: Request the system
    input:
      name: payments
      owner: group:default/payments-team
      blueprint: system
      values:
        description: Everything that moves money
`,
  },
  {
    description:
      'Request a system from a pinned blueprint version and wait for the worker to create its repository, streaming the run into the task log.',
    example: `steps:
  - id: create-system
    action: provisionhub:system:create
    name: Create the system
    input:
      name: payments
      owner: group:default/payments-team
      blueprint: system
      version: 1.0.0
      values:
        description: Everything that moves money
      wait: true
      timeoutMinutes: 15
`,
  },
];
