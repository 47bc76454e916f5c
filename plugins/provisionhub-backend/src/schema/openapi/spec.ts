// ******************************************************************
// * THIS FILE IS GENERATED FROM src/schema/openapi.yaml BY          *
// * scripts/generate-openapi-spec.js (yarn generate:openapi).      *
// * DO NOT EDIT IT DIRECTLY.                                       *
// ******************************************************************
export const spec = {
  openapi: '3.0.3',
  info: {
    title: 'provisionhub',
    version: '1',
    description:
      'The ProvisionHub control plane: provisioning runs of systems and components built from versioned blueprints, their steps, logs and history, approvals, and what they provisioned. `ProvisionHubApi` in @provisionhub/plugin-provisionhub-common is the typed client of this API.',
    license: {
      name: 'Apache-2.0',
      url: 'http://www.apache.org/licenses/LICENSE-2.0.html',
    },
  },
  servers: [
    {
      url: '/',
    },
  ],
  components: {
    parameters: {
      runId: {
        name: 'id',
        in: 'path',
        required: true,
        description: 'Run id (a UUID).',
        schema: {
          type: 'string',
          minLength: 1,
        },
      },
      name: {
        name: 'name',
        in: 'path',
        required: true,
        schema: {
          type: 'string',
          minLength: 1,
        },
      },
    },
    responses: {
      ErrorResponse: {
        description:
          'A Backstage error body; `error.message` names the field and the rule.',
        content: {
          'application/json': {
            schema: {
              $ref: '#/components/schemas/Error',
            },
          },
        },
      },
    },
    schemas: {
      Error: {
        type: 'object',
        required: ['error', 'request'],
        properties: {
          error: {
            type: 'object',
            required: ['name', 'message'],
            properties: {
              name: {
                type: 'string',
              },
              message: {
                type: 'string',
              },
            },
          },
          request: {
            type: 'object',
            properties: {
              method: {
                type: 'string',
              },
              url: {
                type: 'string',
              },
            },
          },
          response: {
            type: 'object',
            properties: {
              statusCode: {
                type: 'integer',
              },
            },
          },
        },
      },
      RunStatus: {
        type: 'string',
        enum: [
          'requested',
          'awaiting_approval',
          'queued',
          'running',
          'succeeded',
          'failed',
          'cancelled',
          'rejected',
        ],
      },
      CreateRunKind: {
        type: 'string',
        description: 'What a run request creates.',
        enum: ['system', 'component'],
      },
      RunKind: {
        type: 'string',
        description:
          'Every kind of run; `upgrade` runs are started by POST /components/{name}/upgrade, `decommission` runs by POST /components/{name}/decommission and POST /systems/{name}/decommission, `promote` runs by POST /components/{name}/promote.',
        enum: ['system', 'component', 'upgrade', 'decommission', 'promote'],
      },
      RunRequest: {
        type: 'object',
        required: ['kind', 'name', 'owner', 'blueprint', 'values'],
        additionalProperties: false,
        properties: {
          kind: {
            $ref: '#/components/schemas/CreateRunKind',
          },
          name: {
            type: 'string',
            description:
              'Name of the new system or component (lowercase letters, digits, hyphens; 2-63 characters).',
          },
          owner: {
            type: 'string',
            description:
              'Entity ref of the owning group or user, e.g. group:default/payments.',
          },
          system: {
            type: 'string',
            description: 'The system a component belongs to (components only).',
          },
          blueprint: {
            type: 'string',
            description: 'Blueprint name.',
          },
          version: {
            type: 'string',
            description: 'Exact blueprint version; the latest when absent.',
          },
          environment: {
            type: 'string',
            description:
              'The environment the request is for, e.g. production; policy rules may match on it.',
          },
          values: {
            type: 'object',
            additionalProperties: true,
            description: "Values for the blueprint's parameters.",
          },
        },
      },
      PolicyRuleResult: {
        type: 'object',
        required: ['id', 'description', 'effect', 'reason'],
        properties: {
          id: {
            type: 'string',
          },
          description: {
            type: 'string',
          },
          effect: {
            $ref: '#/components/schemas/PolicyEffect',
          },
          reason: {
            type: 'string',
            description: 'Why the rule applies, for the requester.',
          },
        },
      },
      PolicyEffect: {
        type: 'string',
        enum: ['allow', 'require-approval', 'deny'],
      },
      ApprovalRequirement: {
        type: 'object',
        required: ['rule', 'groups', 'count'],
        properties: {
          rule: {
            type: 'string',
          },
          groups: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          count: {
            type: 'integer',
            minimum: 1,
          },
          expiresAfterMs: {
            type: 'integer',
          },
        },
      },
      Environment: {
        type: 'object',
        required: [
          'name',
          'title',
          'destination',
          'argocdProject',
          'automatic',
        ],
        properties: {
          name: {
            type: 'string',
          },
          title: {
            type: 'string',
          },
          cluster: {
            type: 'string',
          },
          destination: {
            type: 'object',
            required: ['server', 'namespace'],
            properties: {
              server: {
                type: 'string',
                description: 'The Kubernetes API server as Argo CD knows it.',
              },
              namespace: {
                type: 'string',
                description:
                  'Namespace pattern; ${system}, ${component} and ${environment} are replaced.',
              },
            },
          },
          argocdProject: {
            type: 'string',
          },
          automatic: {
            type: 'boolean',
            description: 'Changes reach it without a promotion.',
          },
        },
      },
      PolicyDecision: {
        type: 'object',
        required: ['decision', 'rules'],
        properties: {
          decision: {
            $ref: '#/components/schemas/PolicyEffect',
          },
          rules: {
            type: 'array',
            description:
              'The rules that matched (deny wins over require-approval over allow).',
            items: {
              $ref: '#/components/schemas/PolicyRuleResult',
            },
          },
          approvers: {
            type: 'object',
            required: ['groups', 'count', 'requirements'],
            description: 'For require-approval; every requirement must be met.',
            properties: {
              groups: {
                type: 'array',
                items: {
                  type: 'string',
                },
              },
              count: {
                type: 'integer',
              },
              requirements: {
                type: 'array',
                items: {
                  $ref: '#/components/schemas/ApprovalRequirement',
                },
              },
            },
          },
        },
      },
      RunApproval: {
        type: 'object',
        required: ['approver', 'at', 'rules'],
        properties: {
          approver: {
            type: 'string',
          },
          at: {
            type: 'string',
            format: 'date-time',
          },
          comment: {
            type: 'string',
          },
          rules: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
        },
      },
      PinnedBlueprint: {
        type: 'object',
        required: ['name', 'version', 'digest'],
        properties: {
          name: {
            type: 'string',
          },
          version: {
            type: 'string',
          },
          digest: {
            type: 'string',
          },
        },
      },
      RunError: {
        type: 'object',
        required: ['message', 'retryable', 'deadLettered'],
        properties: {
          message: {
            type: 'string',
          },
          step: {
            type: 'string',
          },
          retryable: {
            type: 'boolean',
          },
          deadLettered: {
            type: 'boolean',
          },
        },
      },
      RunOutputs: {
        type: 'object',
        required: ['repoUrl', 'defaultBranch', 'entityRef'],
        properties: {
          repoUrl: {
            type: 'string',
          },
          defaultBranch: {
            type: 'string',
          },
          entityRef: {
            type: 'string',
          },
          branch: {
            type: 'string',
            description: 'Upgrade runs: the branch that holds the upgrade.',
          },
          mergeRequestUrl: {
            type: 'string',
            description:
              'Upgrade runs on GitLab: the merge request of the branch.',
          },
          deployments: {
            type: 'array',
            description:
              'What the run wrote to the GitOps repository, per environment.',
            items: {
              $ref: '#/components/schemas/DeploymentOutput',
            },
          },
        },
      },
      DeploymentOutput: {
        type: 'object',
        required: ['environment', 'version', 'path', 'commit', 'state'],
        properties: {
          environment: {
            type: 'string',
          },
          version: {
            type: 'string',
            description: 'The image tag the overlay deploys.',
          },
          path: {
            type: 'string',
            description: "The overlay's folder in the GitOps repository.",
          },
          commit: {
            type: 'string',
          },
          state: {
            type: 'string',
            enum: ['committed', 'proposed'],
            description:
              '`committed` to the branch Argo CD follows, or `proposed` on `branch` (environments that are not automatic).',
          },
          branch: {
            type: 'string',
          },
          mergeRequestUrl: {
            type: 'string',
          },
        },
      },
      RunPromotion: {
        type: 'object',
        required: ['from', 'to', 'version'],
        properties: {
          from: {
            type: 'string',
          },
          to: {
            type: 'string',
          },
          version: {
            type: 'string',
          },
        },
      },
      PromoteComponentRequest: {
        type: 'object',
        required: ['from', 'to'],
        properties: {
          from: {
            type: 'string',
            description: 'The environment whose version is promoted.',
          },
          to: {
            type: 'string',
            description: 'The environment that gets it.',
          },
          version: {
            type: 'string',
            description:
              'The image tag to deploy; the version `from` runs when absent.',
          },
        },
      },
      ArgoCdApplicationStatus: {
        type: 'object',
        required: ['application'],
        properties: {
          application: {
            type: 'string',
          },
          sync: {
            type: 'string',
          },
          health: {
            type: 'string',
          },
          revision: {
            type: 'string',
          },
          error: {
            type: 'string',
          },
        },
      },
      ComponentEnvironment: {
        type: 'object',
        required: ['name', 'title', 'gitopsPath', 'status'],
        properties: {
          name: {
            type: 'string',
          },
          title: {
            type: 'string',
          },
          version: {
            type: 'string',
          },
          gitopsPath: {
            type: 'string',
          },
          status: {
            type: 'string',
            enum: ['not-deployed', 'committed', 'proposed'],
          },
          runId: {
            type: 'string',
          },
          updatedAt: {
            type: 'string',
            format: 'date-time',
          },
          branch: {
            type: 'string',
          },
          mergeRequestUrl: {
            type: 'string',
          },
          proposal: {
            type: 'object',
            required: ['version', 'runId'],
            properties: {
              version: {
                type: 'string',
              },
              runId: {
                type: 'string',
              },
              branch: {
                type: 'string',
              },
              mergeRequestUrl: {
                type: 'string',
              },
            },
          },
          argocd: {
            $ref: '#/components/schemas/ArgoCdApplicationStatus',
          },
        },
      },
      ValueChange: {
        type: 'object',
        required: ['key'],
        description:
          'A value an upgrade changes; no `from` means added, no `to` removed.',
        properties: {
          key: {
            type: 'string',
          },
          from: {},
          to: {},
        },
      },
      RunUpgrade: {
        type: 'object',
        required: ['from', 'branch', 'changedValues'],
        properties: {
          from: {
            $ref: '#/components/schemas/PinnedBlueprint',
          },
          branch: {
            type: 'string',
          },
          changedValues: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/ValueChange',
            },
          },
        },
      },
      RunDecommission: {
        type: 'object',
        properties: {
          reason: {
            type: 'string',
          },
        },
      },
      DecommissionRequest: {
        type: 'object',
        additionalProperties: false,
        properties: {
          reason: {
            type: 'string',
            maxLength: 2000,
            description:
              'Why it is retired; recorded on the run and written into the repository.',
          },
        },
      },
      ProvisionedStatus: {
        type: 'string',
        description:
          '`live` until a decommission run succeeds; a decommissioned system or component keeps its row and runs, has left the catalog and has an archived repository.',
        enum: ['live', 'decommissioned'],
      },
      UpgradeComponentRequest: {
        type: 'object',
        required: ['version'],
        additionalProperties: false,
        properties: {
          version: {
            type: 'string',
            minLength: 1,
            description:
              "The target blueprint version; the component's own version to change values only.",
          },
          values: {
            type: 'object',
            additionalProperties: true,
            description:
              'Values to change; the others keep what the component has.',
          },
        },
      },
      StartUpgradeCampaignRequest: {
        type: 'object',
        required: ['from', 'to'],
        additionalProperties: false,
        properties: {
          from: {
            type: 'string',
            minLength: 1,
            description: 'The blueprint version the components run now.',
          },
          to: {
            type: 'string',
            minLength: 1,
            description: 'The version to upgrade them to (newer than from).',
          },
        },
      },
      UpgradeCampaignRun: {
        type: 'object',
        required: ['component', 'entityRef', 'state'],
        properties: {
          component: {
            type: 'string',
          },
          entityRef: {
            type: 'string',
          },
          state: {
            type: 'string',
            description:
              "The status of the component's upgrade run, or skipped when none was started.",
          },
          runId: {
            type: 'string',
          },
          skippedReason: {
            type: 'string',
            description:
              'Why no run was started, e.g. another run of the component is not finished.',
          },
          outputs: {
            $ref: '#/components/schemas/RunOutputs',
          },
        },
      },
      UpgradeCampaign: {
        type: 'object',
        required: [
          'id',
          'blueprint',
          'from',
          'to',
          'createdBy',
          'createdAt',
          'counts',
          'done',
          'runs',
        ],
        properties: {
          id: {
            type: 'string',
          },
          blueprint: {
            type: 'string',
          },
          from: {
            type: 'string',
          },
          to: {
            type: 'string',
          },
          createdBy: {
            type: 'string',
          },
          createdAt: {
            type: 'string',
          },
          counts: {
            type: 'object',
            additionalProperties: {
              type: 'integer',
            },
            description:
              'How many components are in each state (run statuses and skipped).',
          },
          done: {
            type: 'boolean',
            description: 'Every run ended or was skipped.',
          },
          runs: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/UpgradeCampaignRun',
            },
          },
        },
      },
      BlueprintChangelogEntry: {
        type: 'object',
        required: ['version', 'changes'],
        properties: {
          version: {
            type: 'string',
          },
          changes: {
            type: 'string',
          },
        },
      },
      ComponentUpgradeInfo: {
        type: 'object',
        required: ['available', 'latest', 'changelog'],
        properties: {
          available: {
            type: 'boolean',
          },
          latest: {
            type: 'string',
          },
          changelog: {
            type: 'array',
            description:
              "The versions after the component's up to latest, newest first.",
            items: {
              $ref: '#/components/schemas/BlueprintChangelogEntry',
            },
          },
        },
      },
      RunStep: {
        type: 'object',
        required: ['id', 'title', 'status'],
        properties: {
          id: {
            type: 'string',
          },
          title: {
            type: 'string',
          },
          status: {
            type: 'string',
            enum: [
              'pending',
              'running',
              'succeeded',
              'skipped',
              'failed',
              'cancelled',
            ],
          },
          attempt: {
            type: 'integer',
          },
          startedAt: {
            type: 'string',
            format: 'date-time',
          },
          finishedAt: {
            type: 'string',
            format: 'date-time',
          },
          durationMs: {
            type: 'number',
          },
          detail: {
            type: 'string',
          },
          error: {
            type: 'string',
          },
        },
      },
      RunTransition: {
        type: 'object',
        required: ['status', 'at', 'actor'],
        properties: {
          status: {
            $ref: '#/components/schemas/RunStatus',
          },
          at: {
            type: 'string',
            format: 'date-time',
          },
          actor: {
            type: 'string',
            description: 'A user entity ref, a service, or system:<part>.',
          },
          reason: {
            type: 'string',
          },
        },
      },
      Run: {
        type: 'object',
        required: [
          'id',
          'kind',
          'name',
          'owner',
          'entityRef',
          'blueprint',
          'values',
          'status',
          'requestedBy',
          'attempt',
          'createdAt',
          'updatedAt',
        ],
        properties: {
          id: {
            type: 'string',
          },
          kind: {
            $ref: '#/components/schemas/RunKind',
          },
          name: {
            type: 'string',
          },
          owner: {
            type: 'string',
          },
          system: {
            type: 'string',
          },
          entityRef: {
            type: 'string',
          },
          environment: {
            type: 'string',
          },
          blueprint: {
            $ref: '#/components/schemas/PinnedBlueprint',
          },
          values: {
            type: 'object',
            additionalProperties: true,
          },
          status: {
            $ref: '#/components/schemas/RunStatus',
          },
          requestedBy: {
            type: 'string',
          },
          attempt: {
            type: 'integer',
          },
          createdAt: {
            type: 'string',
            format: 'date-time',
          },
          updatedAt: {
            type: 'string',
            format: 'date-time',
          },
          startedAt: {
            type: 'string',
            format: 'date-time',
          },
          finishedAt: {
            type: 'string',
            format: 'date-time',
          },
          error: {
            $ref: '#/components/schemas/RunError',
          },
          rejectionReason: {
            type: 'string',
          },
          outputs: {
            $ref: '#/components/schemas/RunOutputs',
          },
          upgrade: {
            $ref: '#/components/schemas/RunUpgrade',
          },
          decommission: {
            $ref: '#/components/schemas/RunDecommission',
          },
          promotion: {
            $ref: '#/components/schemas/RunPromotion',
          },
          policy: {
            $ref: '#/components/schemas/PolicyDecision',
          },
          approvals: {
            type: 'array',
            description: 'Single-run reads only.',
            items: {
              $ref: '#/components/schemas/RunApproval',
            },
          },
          approvalExpiresAt: {
            type: 'string',
            format: 'date-time',
          },
          steps: {
            type: 'array',
            description: 'Single-run reads only.',
            items: {
              $ref: '#/components/schemas/RunStep',
            },
          },
          history: {
            type: 'array',
            description: 'Single-run reads only.',
            items: {
              $ref: '#/components/schemas/RunTransition',
            },
          },
          canCancel: {
            type: 'boolean',
            description: 'The caller may cancel the run now.',
          },
          canRetry: {
            type: 'boolean',
            description: 'The caller may retry the run now.',
          },
          canApprove: {
            type: 'boolean',
            description:
              'The caller may approve or reject the run now (runs awaiting approval).',
          },
          approvalBlockedReason: {
            type: 'string',
            description:
              'Why the caller may not approve, when canApprove is false.',
          },
        },
      },
      RunPage: {
        type: 'object',
        required: ['items'],
        properties: {
          items: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/Run',
            },
          },
          nextCursor: {
            type: 'string',
            description:
              'Pass as cursor for the next page; absent on the last page.',
          },
        },
      },
      RunLogLine: {
        type: 'object',
        required: ['seq', 'at', 'level', 'message'],
        properties: {
          seq: {
            type: 'integer',
          },
          at: {
            type: 'string',
            format: 'date-time',
          },
          step: {
            type: 'string',
          },
          level: {
            type: 'string',
            enum: ['debug', 'info', 'warn', 'error'],
          },
          message: {
            type: 'string',
          },
        },
      },
      RunLogsPage: {
        type: 'object',
        required: ['items', 'lastSeq'],
        properties: {
          items: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/RunLogLine',
            },
          },
          lastSeq: {
            type: 'integer',
          },
        },
      },
      ProvisionedSystem: {
        type: 'object',
        required: [
          'name',
          'owner',
          'entityRef',
          'blueprint',
          'runId',
          'createdAt',
          'status',
        ],
        properties: {
          name: {
            type: 'string',
          },
          owner: {
            type: 'string',
          },
          entityRef: {
            type: 'string',
          },
          blueprint: {
            $ref: '#/components/schemas/PinnedBlueprint',
          },
          repoUrl: {
            type: 'string',
          },
          runId: {
            type: 'string',
          },
          createdAt: {
            type: 'string',
            format: 'date-time',
          },
          componentCount: {
            type: 'integer',
            description: 'Live components only.',
          },
          status: {
            $ref: '#/components/schemas/ProvisionedStatus',
          },
          decommissionedAt: {
            type: 'string',
            format: 'date-time',
          },
          decommissionRunId: {
            type: 'string',
          },
        },
      },
      ProvisionedComponent: {
        type: 'object',
        required: [
          'name',
          'owner',
          'system',
          'entityRef',
          'type',
          'blueprint',
          'runId',
          'createdAt',
          'status',
        ],
        properties: {
          name: {
            type: 'string',
          },
          owner: {
            type: 'string',
          },
          system: {
            type: 'string',
          },
          entityRef: {
            type: 'string',
          },
          type: {
            type: 'string',
          },
          blueprint: {
            $ref: '#/components/schemas/PinnedBlueprint',
          },
          repoUrl: {
            type: 'string',
          },
          runId: {
            type: 'string',
          },
          createdAt: {
            type: 'string',
            format: 'date-time',
          },
          status: {
            $ref: '#/components/schemas/ProvisionedStatus',
          },
          decommissionedAt: {
            type: 'string',
            format: 'date-time',
          },
          decommissionRunId: {
            type: 'string',
          },
        },
      },
      ProvisionedComponentDetails: {
        allOf: [
          {
            $ref: '#/components/schemas/ProvisionedComponent',
          },
          {
            type: 'object',
            required: ['environments'],
            properties: {
              upgrade: {
                $ref: '#/components/schemas/ComponentUpgradeInfo',
              },
              environments: {
                type: 'array',
                description:
                  'One entry per configured environment, in promotion order.',
                items: {
                  $ref: '#/components/schemas/ComponentEnvironment',
                },
              },
            },
          },
        ],
      },
      ProvisionedSystemDetails: {
        allOf: [
          {
            $ref: '#/components/schemas/ProvisionedSystem',
          },
          {
            type: 'object',
            required: ['components'],
            properties: {
              components: {
                type: 'array',
                items: {
                  $ref: '#/components/schemas/ProvisionedComponent',
                },
              },
            },
          },
        ],
      },
      BlueprintStep: {
        type: 'object',
        required: ['id', 'type'],
        properties: {
          id: {
            type: 'string',
          },
          type: {
            type: 'string',
          },
          title: {
            type: 'string',
          },
          input: {
            type: 'object',
            additionalProperties: true,
          },
        },
      },
      BlueprintVersionStatus: {
        type: 'object',
        required: ['usable', 'trusted'],
        description:
          'Whether runs of the version are accepted, and if not, why.',
        properties: {
          usable: {
            type: 'boolean',
          },
          reason: {
            type: 'string',
            description:
              "Starts with 'not from a trusted source' or 'modified after publication', or says what is wrong with the files.",
          },
          trusted: {
            type: 'boolean',
          },
          published: {
            type: 'object',
            required: ['digest', 'at'],
            description:
              'The digest recorded the first time the control plane saw the version.',
            properties: {
              digest: {
                type: 'string',
              },
              at: {
                type: 'string',
                format: 'date-time',
              },
            },
          },
          modifiedAfterPublication: {
            type: 'object',
            required: ['digest'],
            description: 'The digest the files have now.',
            properties: {
              digest: {
                type: 'string',
              },
            },
          },
        },
      },
      BlueprintVersion: {
        type: 'object',
        required: [
          'name',
          'version',
          'type',
          'title',
          'owner',
          'tags',
          'entityRef',
          'parameters',
          'steps',
        ],
        properties: {
          name: {
            type: 'string',
          },
          version: {
            type: 'string',
          },
          type: {
            type: 'string',
          },
          title: {
            type: 'string',
          },
          description: {
            type: 'string',
          },
          owner: {
            type: 'string',
          },
          tags: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          entityRef: {
            type: 'string',
          },
          parameters: {
            type: 'object',
            additionalProperties: true,
            description: 'JSON Schema of the values.',
          },
          steps: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/BlueprintStep',
            },
          },
          changelog: {
            type: 'string',
            description:
              'What this version changes (spec.changelog, Markdown).',
          },
          provisioned: {
            type: 'integer',
            description:
              'GET /blueprints/{name} only: how many provisioned systems or components run this version.',
          },
          status: {
            $ref: '#/components/schemas/BlueprintVersionStatus',
          },
        },
      },
      BlueprintSummary: {
        type: 'object',
        required: [
          'name',
          'type',
          'title',
          'owner',
          'tags',
          'latestVersion',
          'versions',
        ],
        properties: {
          name: {
            type: 'string',
          },
          type: {
            type: 'string',
          },
          title: {
            type: 'string',
          },
          description: {
            type: 'string',
          },
          owner: {
            type: 'string',
          },
          tags: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          latestVersion: {
            type: 'string',
          },
          versions: {
            type: 'array',
            items: {
              type: 'string',
            },
            description: 'Newest first.',
          },
          status: {
            $ref: '#/components/schemas/BlueprintVersionStatus',
          },
        },
      },
      BlueprintDetails: {
        type: 'object',
        required: [
          'name',
          'type',
          'title',
          'owner',
          'tags',
          'latestVersion',
          'versions',
        ],
        properties: {
          name: {
            type: 'string',
          },
          type: {
            type: 'string',
          },
          title: {
            type: 'string',
          },
          description: {
            type: 'string',
          },
          owner: {
            type: 'string',
          },
          tags: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          latestVersion: {
            type: 'string',
          },
          versions: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/BlueprintVersion',
            },
          },
          status: {
            $ref: '#/components/schemas/BlueprintVersionStatus',
          },
        },
      },
      DryRunResult: {
        type: 'object',
        required: ['blueprint', 'repositoryPath', 'files', 'policy'],
        properties: {
          policy: {
            $ref: '#/components/schemas/PolicyDecision',
          },
          blueprint: {
            $ref: '#/components/schemas/PinnedBlueprint',
          },
          repositoryPath: {
            type: 'string',
          },
          files: {
            type: 'array',
            items: {
              type: 'object',
              required: ['path', 'size', 'executable'],
              properties: {
                path: {
                  type: 'string',
                },
                size: {
                  type: 'integer',
                },
                executable: {
                  type: 'boolean',
                },
              },
            },
          },
        },
      },
      Entity: {
        type: 'object',
        required: ['apiVersion', 'kind', 'metadata'],
        additionalProperties: true,
        properties: {
          apiVersion: {
            type: 'string',
          },
          kind: {
            type: 'string',
          },
          metadata: {
            type: 'object',
            additionalProperties: true,
          },
          spec: {
            type: 'object',
            additionalProperties: true,
          },
        },
      },
      DeadLetter: {
        type: 'object',
        required: [
          'id',
          'queue',
          'reason',
          'valid',
          'bytes',
          'deaths',
          'firstDeathAt',
          'lastDeathAt',
          'redrivable',
        ],
        properties: {
          id: {
            type: 'string',
          },
          queue: {
            type: 'string',
            description: 'The queue it died in.',
          },
          reason: {
            type: 'string',
          },
          kind: {
            type: 'string',
            description: 'The kind its body named.',
          },
          valid: {
            type: 'boolean',
            description: 'The body is a valid ProvisionHub message.',
          },
          runId: {
            type: 'string',
          },
          attempt: {
            type: 'integer',
          },
          bytes: {
            type: 'integer',
            description: 'Size of the body.',
          },
          deaths: {
            type: 'integer',
            description: 'How many times it was dead-lettered.',
          },
          firstDeathAt: {
            type: 'string',
            format: 'date-time',
          },
          lastDeathAt: {
            type: 'string',
            format: 'date-time',
          },
          redrivable: {
            type: 'boolean',
            description:
              'Only valid jobs of a run can be re-driven; anything else can be purged.',
          },
        },
      },
    },
  },
  paths: {
    '/health': {
      get: {
        operationId: 'GetHealth',
        description: 'Liveness; needs no credentials.',
        security: [],
        responses: {
          '200': {
            description: 'ok',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['status'],
                  properties: {
                    status: {
                      type: 'string',
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    '/runs': {
      post: {
        operationId: 'CreateRun',
        description:
          'Requests a run (permission provisionhub.run.create). Invalid input, and a request that policy denies (403, naming the rules), store and queue nothing.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/RunRequest',
              },
            },
          },
        },
        responses: {
          '202': {
            description: 'The run was accepted (queued or awaiting approval).',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Run',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '409': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '413': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
      get: {
        operationId: 'ListRuns',
        description:
          'Runs, newest first, with keyset pagination (permission provisionhub.run.read).',
        parameters: [
          {
            name: 'status',
            in: 'query',
            style: 'form',
            explode: true,
            schema: {
              type: 'array',
              items: {
                $ref: '#/components/schemas/RunStatus',
              },
            },
          },
          {
            name: 'kind',
            in: 'query',
            schema: {
              $ref: '#/components/schemas/RunKind',
            },
          },
          {
            name: 'system',
            in: 'query',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'requestedBy',
            in: 'query',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'entityRef',
            in: 'query',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'limit',
            in: 'query',
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 200,
              default: 50,
            },
          },
          {
            name: 'cursor',
            in: 'query',
            schema: {
              type: 'string',
            },
          },
        ],
        responses: {
          '200': {
            description: 'One page of runs.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/RunPage',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/runs/{id}': {
      get: {
        operationId: 'GetRun',
        description:
          "One run with steps, history, approvals and what the caller may do with it. The answer carries an ETag; a request with that value in If-None-Match gets 304 while nothing changed. One caller's reads are spaced out to provisionhub.runs.readsPerSecond; a read that would wait more than 5 s gets 429 with Retry-After.",
        parameters: [
          {
            $ref: '#/components/parameters/runId',
          },
          {
            name: 'If-None-Match',
            in: 'header',
            required: false,
            schema: {
              type: 'string',
            },
          },
        ],
        responses: {
          '200': {
            description: 'The run.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Run',
                },
              },
            },
          },
          '304': {
            description: 'Not modified since the ETag given in If-None-Match.',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '429': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/runs/{id}/logs': {
      get: {
        operationId: 'GetRunLogs',
        parameters: [
          {
            $ref: '#/components/parameters/runId',
          },
          {
            name: 'after',
            in: 'query',
            description: 'Return lines with a sequence above this one.',
            schema: {
              type: 'integer',
              minimum: 0,
              default: 0,
            },
          },
          {
            name: 'limit',
            in: 'query',
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 1000,
              default: 500,
            },
          },
        ],
        responses: {
          '200': {
            description: 'Log lines in order.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/RunLogsPage',
                },
              },
            },
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/runs/{id}/cancel': {
      post: {
        operationId: 'CancelRun',
        parameters: [
          {
            $ref: '#/components/parameters/runId',
          },
        ],
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                type: 'object',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The cancelled run.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Run',
                },
              },
            },
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '409': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/runs/{id}/retry': {
      post: {
        operationId: 'RetryRun',
        parameters: [
          {
            $ref: '#/components/parameters/runId',
          },
        ],
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                type: 'object',
              },
            },
          },
        },
        responses: {
          '202': {
            description: 'The run, queued again as the next attempt.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Run',
                },
              },
            },
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '409': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/runs/{id}/approve': {
      post: {
        operationId: 'ApproveRun',
        description:
          "Records the caller's approval. The requester can never approve their own run, and the caller must be a member of one of the approver groups of an open requirement (403).",
        parameters: [
          {
            $ref: '#/components/parameters/runId',
          },
        ],
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  comment: {
                    type: 'string',
                  },
                },
              },
            },
          },
        },
        responses: {
          '200': {
            description:
              'The run with the approval recorded: queued once every approval requirement is met, still awaiting approval otherwise.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Run',
                },
              },
            },
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '409': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/runs/{id}/reject': {
      post: {
        operationId: 'RejectRun',
        description:
          'Rejects a run awaiting approval. Same rules as approving: not the requester, and a member of an approver group (403).',
        parameters: [
          {
            $ref: '#/components/parameters/runId',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['reason'],
                additionalProperties: false,
                properties: {
                  reason: {
                    type: 'string',
                    minLength: 1,
                  },
                },
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The rejected run.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Run',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '409': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/environments': {
      get: {
        operationId: 'ListEnvironments',
        description:
          "The portal's deployment environments (provisionhub.environments), in promotion order. A run request may only name one of them; when none are configured, any. Needs provisionhub.blueprint.read.",
        responses: {
          '200': {
            description: 'The environments.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items'],
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/Environment',
                      },
                    },
                  },
                },
              },
            },
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/systems': {
      get: {
        operationId: 'ListSystems',
        responses: {
          '200': {
            description: 'Provisioned systems.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items'],
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/ProvisionedSystem',
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    '/systems/{name}': {
      get: {
        operationId: 'GetSystem',
        parameters: [
          {
            $ref: '#/components/parameters/name',
          },
        ],
        responses: {
          '200': {
            description: 'The system and its components.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ProvisionedSystemDetails',
                },
              },
            },
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/systems/{name}/decommission': {
      post: {
        operationId: 'DecommissionSystem',
        description:
          "Starts a `decommission` run of a system that holds no live components (409 naming them otherwise): its repository is archived like a component's and its entity leaves the catalog. Policy, approvals and permissions are those of any run.",
        parameters: [
          {
            $ref: '#/components/parameters/name',
          },
        ],
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/DecommissionRequest',
              },
            },
          },
        },
        responses: {
          '202': {
            description: 'The decommission run, queued or awaiting approval.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Run',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '409': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/components': {
      get: {
        operationId: 'ListComponents',
        parameters: [
          {
            name: 'system',
            in: 'query',
            schema: {
              type: 'string',
            },
          },
        ],
        responses: {
          '200': {
            description: 'Provisioned components.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items'],
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/ProvisionedComponent',
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    '/components/{name}': {
      get: {
        operationId: 'GetComponent',
        parameters: [
          {
            $ref: '#/components/parameters/name',
          },
        ],
        responses: {
          '200': {
            description: 'The component.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ProvisionedComponentDetails',
                },
              },
            },
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/components/{name}/upgrade': {
      post: {
        operationId: 'UpgradeComponent',
        description:
          "Starts an `upgrade` run: the worker renders the component's blueprint version with its values and the target version with the new values, merges the difference onto the repository's default branch with git, pushes `provisionhub/upgrade-<version>` (or `provisionhub/values-<run>` when only values change) and opens a merge request on GitLab. Policy, approvals and permissions are those of any run.",
        parameters: [
          {
            $ref: '#/components/parameters/name',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/UpgradeComponentRequest',
              },
            },
          },
        },
        responses: {
          '202': {
            description: 'The upgrade run, queued or awaiting approval.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Run',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '409': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/components/{name}/decommission': {
      post: {
        operationId: 'DecommissionComponent',
        description:
          'Starts a `decommission` run. After policy and approvals (rules match it with `kind: decommission`), the worker archives the repository (GitLab and GitHub archive the project; a plain git remote gets a final commit adding `DECOMMISSIONED.md`), then the component is marked `decommissioned` and its entity leaves the catalog. The component and its runs stay readable. One active run per component (409); a decommissioned component answers 409.',
        parameters: [
          {
            $ref: '#/components/parameters/name',
          },
        ],
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/DecommissionRequest',
              },
            },
          },
        },
        responses: {
          '202': {
            description: 'The decommission run, queued or awaiting approval.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Run',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '409': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/components/{name}/promote': {
      post: {
        operationId: 'PromoteComponent',
        description:
          "Starts a `promote` run: the version `from` runs (or `version`) is written into the overlay of `to` in the GitOps repository, and nothing else changes. Policy rules see `to` as the run's environment (e.g. production needs approvals). The commit goes to the branch Argo CD follows when `to` is automatic, otherwise to a branch of its own (and a merge request where the Git host has them). 409 when the portal has no GitOps repository, the component's blueprint version has no `deploy` step, `from` has no version yet, or another run of the component is active.",
        parameters: [
          {
            $ref: '#/components/parameters/name',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/PromoteComponentRequest',
              },
            },
          },
        },
        responses: {
          '202': {
            description: 'The promote run, queued or awaiting approval.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Run',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '409': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/blueprints': {
      get: {
        operationId: 'ListBlueprints',
        parameters: [
          {
            name: 'type',
            in: 'query',
            schema: {
              type: 'string',
            },
          },
        ],
        responses: {
          '200': {
            description: 'Blueprints with their versions.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items'],
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/BlueprintSummary',
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    '/blueprints/{name}': {
      get: {
        operationId: 'GetBlueprint',
        parameters: [
          {
            $ref: '#/components/parameters/name',
          },
        ],
        responses: {
          '200': {
            description: "The blueprint with every version's parameters.",
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/BlueprintDetails',
                },
              },
            },
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/blueprints/{name}/upgrades': {
      post: {
        operationId: 'StartUpgradeCampaign',
        description:
          'Upgrades every component of the blueprint that runs `from` to `to`: one `upgrade` run per component, each exactly as POST /components/{name}/upgrade would start it (policy, approvals, one active run per component). Components whose upgrade is refused, e.g. because another of their runs is not finished, are listed as skipped with the reason. Needs the permission provisionhub.admin as well as provisionhub.run.create.',
        parameters: [
          {
            $ref: '#/components/parameters/name',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/StartUpgradeCampaignRequest',
              },
            },
          },
        },
        responses: {
          '202': {
            description:
              'The campaign and its runs, queued or awaiting approval.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/UpgradeCampaign',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '409': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/blueprints/{name}/upgrades/{id}': {
      get: {
        operationId: 'GetUpgradeCampaign',
        description:
          "A campaign's progress, with the current status of each run.",
        parameters: [
          {
            $ref: '#/components/parameters/name',
          },
          {
            name: 'id',
            in: 'path',
            required: true,
            description: 'The campaign id.',
            schema: {
              type: 'string',
              minLength: 1,
            },
          },
        ],
        responses: {
          '200': {
            description: 'The campaign.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/UpgradeCampaign',
                },
              },
            },
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/blueprints/{name}/versions/{version}': {
      get: {
        operationId: 'GetBlueprintVersion',
        parameters: [
          {
            $ref: '#/components/parameters/name',
          },
          {
            name: 'version',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
            },
          },
        ],
        responses: {
          '200': {
            description: 'One version.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/BlueprintVersion',
                },
              },
            },
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/dry-run': {
      post: {
        operationId: 'DryRun',
        description:
          'Validates a run request and renders the blueprint without storing or queuing anything.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/RunRequest',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'What the run would write.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/DryRunResult',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '409': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/policy/evaluate': {
      post: {
        operationId: 'EvaluatePolicy',
        description:
          'What policy would decide for this request by the caller, without creating anything. Needs provisionhub.run.create.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/RunRequest',
              },
            },
          },
        },
        responses: {
          '200': {
            description:
              'The decision, the rules that matched and who would have to approve.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/PolicyDecision',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/dead-letters': {
      get: {
        operationId: 'ListDeadLetters',
        description:
          'Messages that reached the dead-letter queue, newest death first (permission provisionhub.admin). The control plane moves every dead letter from the `<prefix>.dead-letter` queue into its database; bodies are not kept.',
        parameters: [
          {
            name: 'limit',
            in: 'query',
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 500,
            },
          },
        ],
        responses: {
          '200': {
            description: 'Dead letters and how many there are in all.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items', 'total'],
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/DeadLetter',
                      },
                    },
                    total: {
                      type: 'integer',
                    },
                  },
                },
              },
            },
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/dead-letters/purge': {
      post: {
        operationId: 'PurgeDeadLetters',
        description:
          'Deletes the dead letters named in `ids`, or every one when `ids` is absent (permission provisionhub.admin).',
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  ids: {
                    type: 'array',
                    maxItems: 1000,
                    items: {
                      type: 'string',
                      minLength: 1,
                      maxLength: 64,
                    },
                  },
                },
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'How many were deleted.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['purged'],
                  properties: {
                    purged: {
                      type: 'integer',
                    },
                  },
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/dead-letters/{id}/redrive': {
      post: {
        operationId: 'RedriveDeadLetter',
        description:
          'Re-drives a dead-lettered job (permission provisionhub.admin): its run is retried as the next attempt from its pinned blueprint (waiting for approval again when it was never approved) and the dead letter is deleted, in one transaction, so it runs once however often this is called. 409 for a dead letter that is not a valid job, or whose run is not failed or cancelled.',
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
              minLength: 1,
            },
          },
        ],
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                type: 'object',
              },
            },
          },
        },
        responses: {
          '202': {
            description: 'The run, queued again (or awaiting approval).',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Run',
                },
              },
            },
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '409': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/catalog/entities': {
      get: {
        operationId: 'ListProvisionedEntities',
        description:
          'Entities of succeeded runs, for the catalog entity provider. Service callers only.',
        responses: {
          '200': {
            description: 'Entities.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items'],
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/Entity',
                      },
                    },
                  },
                },
              },
            },
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
  },
} as const;
