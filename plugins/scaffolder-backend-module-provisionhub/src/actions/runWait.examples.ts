import type { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const examples: TemplateExample[] = [
  {
    description:
      "Follow a run until it ends; in a template, pass the create step's output: runId: ${{ steps['request-component'].output.runId }}",
    example: `steps:
  - id: wait-for-run
    action: provisionhub:run:wait
    name: Wait for the run
    input:
      runId: 0b5bd3a4-5d0e-4c1f-9a7e-1d0f8b7a2c61
`,
  },
  {
    description:
      'Give a run that needs an approval up to two hours before the step gives up (the run keeps going).',
    example: `steps:
  - id: wait-for-approved-run
    action: provisionhub:run:wait
    name: Wait for the approved run
    input:
      runId: 7c2f1e9d-3b4a-4e8f-8d6c-5a9b0c1d2e3f
      timeoutMinutes: 120
`,
  },
];
