import type { Entity } from '@backstage/catalog-model';
import type {
  ProvisionedComponent,
  ProvisionedSystem,
  RunApproval,
  RunLogLine,
  RunStep,
  RunTransition,
} from '@provisionhub/plugin-provisionhub-common';
import type {
  DeploymentRecord,
  RunRecord,
  RunPatch,
  StepPatch,
  StoredDeadLetter,
} from './RunStore';

/** Database timestamps come back as Date (PostgreSQL) or epoch milliseconds (SQLite). */
export type DbTime = Date | number | string;

export function toIso(value: DbTime): string;
export function toIso(value: DbTime | null | undefined): string | undefined;
export function toIso(value: DbTime | null | undefined): string | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function toDbTime(iso: string | null | undefined): Date | null {
  return iso ? new Date(iso) : null;
}

function parseJson<T>(text: string | null | undefined): T | undefined {
  return text ? (JSON.parse(text) as T) : undefined;
}

function optional<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

export interface RunRow {
  id: string;
  kind: RunRecord['kind'];
  name: string;
  owner: string;
  system: string | null;
  entity_ref: string;
  environment: string | null;
  requested_by: string;
  source: string | null;
  blueprint_name: string;
  blueprint_version: string;
  blueprint_digest: string;
  blueprint_job: string | null;
  values_json: string;
  status: RunRecord['status'];
  attempt: number;
  max_attempt: number;
  error_message: string | null;
  error_step: string | null;
  error_retryable: boolean | number | null;
  error_dead_lettered: boolean | number | null;
  rejection_reason: string | null;
  outputs: string | null;
  policy_json: string | null;
  upgrade_json: string | null;
  decommission_json: string | null;
  deploy_json: string | null;
  approval_expires_at: DbTime | null;
  event_attempt: number;
  event_delivery: number;
  event_seq: number;
  last_log_seq: number;
  requested_at: DbTime;
  created_at: DbTime;
  updated_at: DbTime;
  started_at: DbTime | null;
  finished_at: DbTime | null;
}

export function runFromRow(row: RunRow): RunRecord {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    owner: row.owner,
    system: optional(row.system),
    entityRef: row.entity_ref,
    environment: optional(row.environment),
    requestedBy: row.requested_by,
    source: optional(row.source),
    blueprint: {
      name: row.blueprint_name,
      version: row.blueprint_version,
      digest: row.blueprint_digest,
    },
    blueprintJob: parseJson(row.blueprint_job),
    values: JSON.parse(row.values_json),
    status: row.status,
    attempt: row.attempt,
    maxAttempt: row.max_attempt,
    error:
      row.error_message === null
        ? undefined
        : {
            message: row.error_message,
            step: optional(row.error_step),
            retryable: Boolean(row.error_retryable),
            deadLettered: Boolean(row.error_dead_lettered),
          },
    rejectionReason: optional(row.rejection_reason),
    outputs: parseJson(row.outputs),
    policy: parseJson(row.policy_json),
    upgrade: parseJson(row.upgrade_json),
    decommission: parseJson(row.decommission_json),
    deploy: parseJson(row.deploy_json),
    approvalExpiresAt: toIso(row.approval_expires_at),
    eventCursor: {
      attempt: row.event_attempt,
      delivery: row.event_delivery,
      seq: row.event_seq,
    },
    lastLogSeq: row.last_log_seq,
    requestedAt: toIso(row.requested_at),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    startedAt: toIso(row.started_at),
    finishedAt: toIso(row.finished_at),
  };
}

export function rowFromRun(run: RunRecord): RunRow {
  return {
    id: run.id,
    kind: run.kind,
    name: run.name,
    owner: run.owner,
    system: run.system ?? null,
    entity_ref: run.entityRef,
    environment: run.environment ?? null,
    requested_by: run.requestedBy,
    source: run.source ?? null,
    blueprint_name: run.blueprint.name,
    blueprint_version: run.blueprint.version,
    blueprint_digest: run.blueprint.digest,
    blueprint_job: run.blueprintJob ? JSON.stringify(run.blueprintJob) : null,
    values_json: JSON.stringify(run.values),
    status: run.status,
    attempt: run.attempt,
    max_attempt: run.maxAttempt,
    error_message: run.error?.message ?? null,
    error_step: run.error?.step ?? null,
    error_retryable: run.error ? run.error.retryable : null,
    error_dead_lettered: run.error ? run.error.deadLettered : null,
    rejection_reason: run.rejectionReason ?? null,
    outputs: run.outputs ? JSON.stringify(run.outputs) : null,
    policy_json: run.policy ? JSON.stringify(run.policy) : null,
    upgrade_json: run.upgrade ? JSON.stringify(run.upgrade) : null,
    decommission_json: run.decommission
      ? JSON.stringify(run.decommission)
      : null,
    deploy_json: run.deploy ? JSON.stringify(run.deploy) : null,
    approval_expires_at: toDbTime(run.approvalExpiresAt),
    event_attempt: run.eventCursor.attempt,
    event_delivery: run.eventCursor.delivery,
    event_seq: run.eventCursor.seq,
    last_log_seq: run.lastLogSeq,
    requested_at: new Date(run.requestedAt),
    created_at: new Date(run.createdAt),
    updated_at: new Date(run.updatedAt),
    started_at: toDbTime(run.startedAt),
    finished_at: toDbTime(run.finishedAt),
  };
}

/** Only the columns a patch names are written. */
export function rowFromRunPatch(patch: RunPatch): Partial<RunRow> {
  const row: Partial<RunRow> = { updated_at: new Date(patch.updatedAt) };
  if (patch.status !== undefined) row.status = patch.status;
  if (patch.attempt !== undefined) row.attempt = patch.attempt;
  if (patch.maxAttempt !== undefined) row.max_attempt = patch.maxAttempt;
  if (patch.error !== undefined) {
    row.error_message = patch.error?.message ?? null;
    row.error_step = patch.error?.step ?? null;
    row.error_retryable = patch.error ? patch.error.retryable : null;
    row.error_dead_lettered = patch.error ? patch.error.deadLettered : null;
  }
  if (patch.rejectionReason !== undefined)
    row.rejection_reason = patch.rejectionReason;
  if (patch.outputs !== undefined) {
    row.outputs = patch.outputs ? JSON.stringify(patch.outputs) : null;
  }
  if (patch.eventCursor) {
    row.event_attempt = patch.eventCursor.attempt;
    row.event_delivery = patch.eventCursor.delivery;
    row.event_seq = patch.eventCursor.seq;
  }
  if (patch.lastLogSeq !== undefined) row.last_log_seq = patch.lastLogSeq;
  if (patch.approvalExpiresAt !== undefined)
    row.approval_expires_at = toDbTime(patch.approvalExpiresAt);
  if (patch.startedAt !== undefined) row.started_at = toDbTime(patch.startedAt);
  if (patch.finishedAt !== undefined)
    row.finished_at = toDbTime(patch.finishedAt);
  return row;
}

export interface StepRow {
  run_id: string;
  position: number;
  step_id: string;
  title: string;
  status: RunStep['status'];
  attempt: number | null;
  started_at: DbTime | null;
  finished_at: DbTime | null;
  duration_ms: number | null;
  detail: string | null;
  error: string | null;
}

export function stepFromRow(row: StepRow): RunStep {
  return {
    id: row.step_id,
    title: row.title,
    status: row.status,
    attempt: optional(row.attempt),
    startedAt: toIso(row.started_at),
    finishedAt: toIso(row.finished_at),
    durationMs: optional(row.duration_ms),
    detail: optional(row.detail),
    error: optional(row.error),
  };
}

export function rowFromStepPatch(patch: StepPatch): Partial<StepRow> {
  const row: Partial<StepRow> = { status: patch.status };
  if (patch.attempt !== undefined) row.attempt = patch.attempt;
  if (patch.startedAt !== undefined) row.started_at = toDbTime(patch.startedAt);
  if (patch.finishedAt !== undefined)
    row.finished_at = toDbTime(patch.finishedAt);
  if (patch.durationMs !== undefined) row.duration_ms = patch.durationMs;
  if (patch.detail !== undefined) row.detail = patch.detail;
  if (patch.error !== undefined) row.error = patch.error;
  return row;
}

export interface TransitionRow {
  run_id: string;
  status: RunTransition['status'];
  at: DbTime;
  actor: string;
  reason: string | null;
}

export function transitionFromRow(row: TransitionRow): RunTransition {
  return {
    status: row.status,
    at: toIso(row.at),
    actor: row.actor,
    reason: optional(row.reason),
  };
}

export interface ApprovalRow {
  run_id: string;
  approver: string;
  at: DbTime;
  comment: string | null;
  rules_json: string;
}

export function approvalFromRow(row: ApprovalRow): RunApproval {
  return {
    approver: row.approver,
    at: toIso(row.at),
    comment: optional(row.comment),
    rules: JSON.parse(row.rules_json),
  };
}

export interface LogRow {
  run_id: string;
  seq: number;
  at: DbTime;
  step: string | null;
  level: RunLogLine['level'];
  message: string;
}

export function logFromRow(row: LogRow): RunLogLine {
  return {
    seq: row.seq,
    at: toIso(row.at),
    step: optional(row.step),
    level: row.level,
    message: row.message,
  };
}

export interface ProvisionedRow {
  name: string;
  system?: string;
  type?: string;
  owner: string;
  entity_ref: string;
  blueprint_name: string;
  blueprint_version: string;
  blueprint_digest: string;
  repo_url: string | null;
  default_branch: string | null;
  run_id: string;
  entity: string;
  created_at: DbTime;
  updated_at: DbTime;
  decommissioned_at: DbTime | null;
  decommission_run_id: string | null;
  component_count?: number | string;
}

/** Whether the system or component is live, and when and by which run it was retired. */
function lifeOf(row: ProvisionedRow) {
  return row.decommissioned_at === null || row.decommissioned_at === undefined
    ? { status: 'live' as const }
    : {
        status: 'decommissioned' as const,
        decommissionedAt: toIso(row.decommissioned_at),
        decommissionRunId: optional(row.decommission_run_id),
      };
}

function blueprintOf(row: ProvisionedRow) {
  return {
    name: row.blueprint_name,
    version: row.blueprint_version,
    digest: row.blueprint_digest,
  };
}

export function systemFromRow(row: ProvisionedRow): ProvisionedSystem {
  return {
    name: row.name,
    owner: row.owner,
    entityRef: row.entity_ref,
    blueprint: blueprintOf(row),
    repoUrl: optional(row.repo_url),
    runId: row.run_id,
    createdAt: toIso(row.created_at),
    componentCount:
      row.component_count === undefined
        ? undefined
        : Number(row.component_count),
    ...lifeOf(row),
  };
}

export function componentFromRow(row: ProvisionedRow): ProvisionedComponent {
  return {
    name: row.name,
    owner: row.owner,
    system: row.system!,
    entityRef: row.entity_ref,
    type: row.type!,
    blueprint: blueprintOf(row),
    repoUrl: optional(row.repo_url),
    runId: row.run_id,
    createdAt: toIso(row.created_at),
    ...lifeOf(row),
  };
}

export function entityFromRow(row: { entity: string }): Entity {
  return JSON.parse(row.entity) as Entity;
}

export interface DeadLetterRow {
  id: string;
  queue: string;
  reason: string;
  kind: string | null;
  valid: boolean | number;
  run_id: string | null;
  attempt: number | null;
  bytes: number;
  deaths: number;
  first_death_at: DbTime;
  last_death_at: DbTime;
}

export function deadLetterFromRow(row: DeadLetterRow): StoredDeadLetter {
  return {
    id: row.id,
    queue: row.queue,
    reason: row.reason,
    ...(row.kind ? { kind: row.kind } : {}),
    valid: Boolean(row.valid),
    ...(row.run_id ? { runId: row.run_id } : {}),
    ...(row.attempt !== null ? { attempt: row.attempt } : {}),
    bytes: row.bytes,
    deaths: row.deaths,
    firstDeathAt: toIso(row.first_death_at),
    lastDeathAt: toIso(row.last_death_at),
  };
}

/** @internal */
export interface DeploymentRow {
  entity_kind: string;
  name: string;
  environment: string;
  state: string;
  version: string;
  gitops_path: string;
  commit_sha: string;
  branch: string | null;
  merge_request_url: string | null;
  run_id: string;
  updated_at: DbTime;
}

/** @internal */
export function deploymentFromRow(row: DeploymentRow): DeploymentRecord {
  return {
    environment: row.environment,
    version: row.version,
    path: row.gitops_path,
    commit: row.commit_sha,
    state: row.state as DeploymentRecord['state'],
    branch: optional(row.branch),
    mergeRequestUrl: optional(row.merge_request_url),
    runId: row.run_id,
    updatedAt: toIso(row.updated_at),
  };
}
