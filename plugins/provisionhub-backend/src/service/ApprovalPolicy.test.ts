import { ConfigReader } from '@backstage/config';
import { ApprovalPolicy } from './ApprovalPolicy';

describe('ApprovalPolicy', () => {
  const policy = ApprovalPolicy.fromConfig(
    new ConfigReader({
      provisionhub: {
        approval: {
          blueprints: ['postgres-database'],
          owners: ['contractors'],
          approvers: ['group:default/platform'],
        },
      },
    }),
  );

  it('holds runs of listed blueprints and owners (owner refs normalized) and queues the rest', () => {
    expect(
      policy.decide({
        blueprint: { name: 'postgres-database' },
        owner: 'group:default/payments',
      }),
    ).toEqual({
      status: 'awaiting_approval',
      reason:
        "blueprint 'postgres-database' needs approval (provisionhub.approval.blueprints)",
    });
    expect(
      policy.decide({
        blueprint: { name: 'node-backend' },
        owner: 'group:default/contractors',
      }).status,
    ).toBe('awaiting_approval');
    expect(
      policy.decide({
        blueprint: { name: 'node-backend' },
        owner: 'group:default/payments',
      }),
    ).toEqual({
      status: 'queued',
      reason: 'no approval rule matched',
    });
    expect(policy.approvers).toEqual(['group:default/platform']);
  });

  it('queues everything without configuration', () => {
    const open = ApprovalPolicy.fromConfig(new ConfigReader({}));
    expect(
      open.decide({
        blueprint: { name: 'postgres-database' },
        owner: 'group:default/x',
      }).status,
    ).toBe('queued');
  });
});
