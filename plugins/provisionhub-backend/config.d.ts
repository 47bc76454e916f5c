import type { HumanDuration } from '@backstage/types';

export interface Config {
  /** ProvisionHub: self-service provisioning on RabbitMQ and a worker fleet. */
  provisionhub?: {
    runs?: {
      /**
       * A run that has been `running` this long without any event from its worker (its worker
       * vanished and the broker did not redeliver the job) is queued again as its next attempt
       * while attempts remain, and failed with the reason "no progress for …" otherwise. Checked
       * by one backend replica at a time. Set it above the longest quiet stretch a step may have.
       * E.g. `30m`, `PT30M` or `{ minutes: 30 }`. Default 30 minutes.
       */
      noProgressTimeout?: string | HumanDuration;
      /**
       * How many times a second one caller (a user or a service) may read a run
       * (`GET /runs/{id}`); bursts of twice that pass at once. Reads beyond it wait their turn,
       * so pollers cannot take the CPU that applying run events needs; a read that would wait
       * more than 5 s gets 429 with `Retry-After`. The run page follows signals and reads far
       * less often. Default 50.
       */
      readsPerSecond?: number;
    };
    /**
     * The portal's deployment environments, in promotion order (e.g. development, staging,
     * production). When the list is given, a run request may only name one of them
     * (`environment`); policy rules match on it. `GET /environments` lists them.
     */
    environments?: Array<{
      /** Lowercase letters, digits and hyphens, e.g. `production`. */
      name: string;
      /** Shown to people. Default: the name. */
      title?: string;
      /** The Kubernetes cluster the environment deploys to. */
      cluster?: string;
      destination?: {
        /** The Kubernetes API server as Argo CD knows it. Default `https://kubernetes.default.svc`. */
        server?: string;
        /**
         * Namespace pattern; `${system}`, `${component}` and `${environment}` are replaced.
         * Default `${system}-${environment}`. In app-config YAML write `$${system}`: Backstage
         * replaces `${NAME}` with environment variables and `$${` with `${`.
         */
        namespace?: string;
      };
      argocd?: {
        /**
         * The Argo CD project of the environment's applications; `${system}`, `${component}`
         * and `${environment}` are replaced. Default `${system}`: the AppProject a system's
         * run writes to the GitOps repository.
         */
        project?: string;
      };
      /** Changes reach this environment without a promotion. Default false. */
      automatic?: boolean;
    }>;
    /**
     * The portal's GitOps repository. With it (and `environments`), a component run whose
     * blueprint has a `deploy` step writes the component's overlays and one Argo CD Application
     * per environment there; `POST /components/{name}/promote` moves a version between
     * environments. Without it, `deploy` steps are skipped.
     */
    gitops?: {
      /** The repository, relative to the Git provider's base, e.g. `platform/gitops`. */
      repository: string;
      /** The branch Argo CD follows. Default `provisionhub.git.defaultBranch`, else `main`. */
      branch?: string;
      /** The namespace Argo CD runs in (where Applications live). Default `argocd`. */
      argocdNamespace?: string;
    };
    /**
     * Argo CD's API, asked for the sync status and health of each component's Application per
     * environment (`GET /components/{name}`). Without it, what runs where comes from the GitOps
     * repository alone.
     */
    argocd?: {
      /** Argo CD's address, e.g. `https://argocd.example.com` (a path prefix is kept). */
      baseUrl: string;
      /**
       * An Argo CD API token (`argocd account generate-token`) that may read the applications.
       * @visibility secret
       */
      token: string;
      /** How long one request to Argo CD may take, in milliseconds. Default 3000. */
      timeoutMs?: number;
    };
    /** Housekeeping of what runs leave behind. */
    retention?: {
      /**
       * Run log lines, and run events that waited in the out-of-order buffer, older than this
       * are deleted (hourly, by one backend replica at a time). Runs, their steps and status
       * history are kept. E.g. `90d`, `P90D` or `{ days: 90 }`. Default 90 days.
       */
      maxAge?: string | HumanDuration;
    };
    /** Day 2: what happens after an upgrade run succeeded. */
    upgrades?: {
      /**
       * How often the control plane asks whether upgrade merge requests (GitLab, GitHub, with
       * the `integrations:` token for their host) or upgrade branches (plain git) were merged;
       * a merged upgrade becomes the component's version and values. One backend replica at a
       * time asks. E.g. `5m`, `PT5M` or `{ minutes: 5 }`. Default 5 minutes.
       */
      mergeCheckInterval?: string | HumanDuration;
    };
    /**
     * Control-plane policy, evaluated for every request whatever door it came through (REST,
     * UI, software templates). Order: any matching `deny` rule denies; otherwise any matching
     * `require-approval` rule holds the run until each such rule's approvals are given;
     * otherwise the request is allowed. With no matching rule, `default` applies.
     */
    policy?: {
      /** Effect when no rule matches. Default `allow`. */
      default?: 'allow' | 'deny';
      ownership?: {
        /**
         * Requesters may only name themselves or one of their groups as owner, and add
         * components only to systems owned by one of their groups, unless they hold
         * `provisionhub.admin`. Turn off for portals that do not model group membership.
         * Default true.
         */
        enforce?: boolean;
      };
      rules?: Array<{
        /** Unique id, shown to users: lowercase letters, digits, `.`, `_`, `-`. */
        id: string;
        /** What the rule is for, shown to users. */
        description: string;
        /**
         * Conditions; every one given must hold. A list matches any of its items. An absent
         * `when` matches every request.
         */
        when?: {
          kind?: 'system' | 'component' | Array<'system' | 'component'>;
          blueprint?: {
            name?: string | string[];
            type?: string | string[];
            /** A semver range, e.g. `>=2.0.0`. */
            version?: string;
          };
          /** Owner entity refs; a bare name means a group. */
          owner?: string | string[];
          /** System names. */
          system?: string | string[];
          environment?: string | string[];
          /** The requester is a member of one of these groups. */
          requesterGroups?: string | string[];
          /**
           * Comparisons on the request's values, all of which must hold:
           * `values.<field> <op> <JSON value>` with op one of == != > >= < <=,
           * e.g. `values.storageGb > 100`, `values.tier == "gold"`.
           */
          values?: string | string[];
        };
        effect: 'allow' | 'require-approval' | 'deny';
        /** Why the rule applies, shown to the requester. Defaults to the description. */
        reason?: string;
        /** For `require-approval`. */
        approval?: {
          /**
           * Approvers must be members of one of these groups (and hold
           * `provisionhub.run.approve`). Anyone with the permission when absent. They are
           * notified when a run starts waiting.
           */
          groups?: string[];
          /** Distinct approvers needed. Default 1. */
          count?: number;
          /**
           * A run still waiting after this long is rejected, e.g. `7d`, `P7D` or
           * `{ days: 7 }`. Runs wait forever when absent.
           */
          expiresAfter?: string | HumanDuration;
        };
      }>;
    };
    /** Which Blueprint entities may be used, and where their files may come from. */
    blueprints?: {
      /**
       * Catalog locations whose Blueprint entities may be used. An entity is trusted when its
       * `backstage.io/managed-by-location` is inside one of these locations (whole path
       * segments) and, when the entry lists owners, its `spec.owner` is one of them. Blueprints
       * from anywhere else are listed with the reason "not from a trusted source" and their runs
       * and dry runs are refused. Nothing is trusted when absent.
       */
      trusted?: Array<{
        /**
         * `file:<path>` (a relative path is resolved from the backend's working directory, like
         * catalog file locations) or `url:<url>`, e.g.
         * `url:https://gitlab.example.com/platform/blueprints/-/blob/main/`.
         */
        location: string;
        /**
         * Only entities with one of these `spec.owner` refs. `spec.owner` is written by whoever
         * can write to the location, so this narrows a trusted location; it never makes an
         * untrusted one trusted.
         */
        owners?: string[];
      }>;
      /**
       * Folders that `spec.files[].from` may use besides the blueprint's own folder (shared
       * partials such as Helm charts), as `file:<path>` or `url:<url>` like `trusted`.
       */
      sharedFolders?: string[];
    };
  };
}
