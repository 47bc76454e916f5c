import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import knexFactory, { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import type {
  Page,
  ProvisionedComponent,
  ProvisionedSystem,
  RunEventMessage,
  RunApproval,
  CreateRunKind,
  DeploymentOutput,
  RunLogLine,
  RunLogsPage,
  RunStatus,
  RunStep,
  RunTransition,
} from '@provisionhub/plugin-provisionhub-common';
import { decodeRunCursor, encodeRunCursor } from './cursor';
import {
  ApprovalRow,
  DbTime,
  DeadLetterRow,
  DeploymentRow,
  LogRow,
  ProvisionedRow,
  RunRow,
  StepRow,
  TransitionRow,
  approvalFromRow,
  componentFromRow,
  deadLetterFromRow,
  deploymentFromRow,
  entityFromRow,
  logFromRow,
  rowFromRun,
  rowFromRunPatch,
  rowFromStepPatch,
  runFromRow,
  stepFromRow,
  systemFromRow,
  toDbTime,
  toIso,
  transitionFromRow,
} from './rows';
import type {
  DeadLetterRecord,
  DeploymentRecord,
  EventKey,
  OutboxEntry,
  OutboxTopic,
  ProvisionedRecord,
  PruneResult,
  StoreGauges,
  RunAccessFilter,
  RunListQuery,
  RunPatch,
  RunRecord,
  RunStore,
  RunStoreTransaction,
  StepPatch,
  StoredDeadLetter,
} from './RunStore';

const MIGRATIONS_DIRECTORY = resolvePackagePath(
  '@provisionhub/plugin-provisionhub-backend',
  'migrations',
);
const MIGRATIONS_TABLE = 'provisionhub_knex_migrations';

/** Must match the partial unique index `runs_active_entity_uq` in the migrations. */
export const ACTIVE_RUN_STATUSES = [
  'requested',
  'awaiting_approval',
  'queued',
  'running',
] as const;

/** SQLite's bound-variable limit is far above this; PostgreSQL's is 65535. */
const ID_CHUNK = 500;

/**
 * Runs the plugin's migrations; exported for the migration tests.
 * @internal
 */
export async function migrateRunStore(knex: Knex) {
  await knex.migrate.latest({
    directory: MIGRATIONS_DIRECTORY,
    tableName: MIGRATIONS_TABLE,
  });
}

/**
 * Reverts every migration of the plugin; exported for the migration tests.
 * @internal
 */
export async function rollbackRunStore(knex: Knex) {
  await knex.migrate.rollback(
    { directory: MIGRATIONS_DIRECTORY, tableName: MIGRATIONS_TABLE },
    true,
  );
}

async function readApprovals(db: Knex, runId: string): Promise<RunApproval[]> {
  const rows = await db<ApprovalRow>('run_approvals')
    .where({ run_id: runId })
    .orderBy('at');
  return rows.map(approvalFromRow);
}

/**
 * SQLite: write-ahead logging, so readers (the API) never block the writer (event application)
 * and a commit appends to the log instead of rewriting pages. The setting stays with the file;
 * an in-memory database keeps its own journal.
 */
async function useWriteAheadLog(knex: Knex) {
  const client = String(knex.client.config.client);
  if (client === 'better-sqlite3' || client === 'sqlite3') {
    await knex.raw('PRAGMA journal_mode = WAL');
  }
}

/**
 * SQLite gives a plugin one connection, which a transaction holds until it ends: API reads would
 * queue behind event application. With a database file in WAL mode, a second, read-only
 * connection reads the last committed state without waiting. In-memory databases (and
 * PostgreSQL, which pools connections) read through the plugin's own client.
 */
function openReader(knex: Knex): Knex | undefined {
  const { client, connection } = knex.client.config as {
    client: unknown;
    connection?: { filename?: string };
  };
  const filename = connection?.filename;
  if (
    client !== 'better-sqlite3' ||
    typeof filename !== 'string' ||
    filename === ':memory:' ||
    filename.includes('mode=memory')
  ) {
    return undefined;
  }
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename, options: { readonly: true } },
    useNullAsDefault: true,
    pool: { min: 0, max: 1 },
  });
}

class DatabaseRunStoreTransaction implements RunStoreTransaction {
  readonly #trx: Knex.Transaction;

  constructor(trx: Knex.Transaction) {
    this.#trx = trx;
  }

  async lockRun(id: string): Promise<RunRecord | undefined> {
    const q = this.#trx<RunRow>('runs').where({ id });
    if (this.#trx.client.config.client === 'pg') {
      q.forUpdate();
    }
    const row = await q.first();
    return row ? runFromRow(row) : undefined;
  }

  async insertRun(
    run: RunRecord,
    steps: Array<{ id: string; title: string }>,
  ): Promise<void> {
    await this.#trx('runs').insert(rowFromRun(run));
    if (steps.length) {
      await this.#trx('run_steps').insert(
        steps.map((step, position) => ({
          run_id: run.id,
          position,
          step_id: step.id,
          title: step.title,
          status: 'pending',
        })),
      );
    }
  }

  async updateRun(id: string, patch: RunPatch): Promise<void> {
    await this.#trx('runs').where({ id }).update(rowFromRunPatch(patch));
  }

  async addTransition(
    runId: string,
    ...transitions: RunTransition[]
  ): Promise<void> {
    await this.#trx('run_transitions').insert(
      transitions.map(transition => ({
        run_id: runId,
        status: transition.status,
        at: new Date(transition.at),
        actor: transition.actor,
        reason: transition.reason ?? null,
      })),
    );
  }

  async updateStep(
    runId: string,
    stepId: string,
    patch: StepPatch,
  ): Promise<void> {
    await this.#trx('run_steps')
      .where({ run_id: runId, step_id: stepId })
      .update(rowFromStepPatch(patch));
  }

  async resetUnfinishedSteps(runId: string): Promise<void> {
    await this.#trx('run_steps')
      .where({ run_id: runId })
      .whereNotIn('status', ['succeeded', 'skipped'])
      .update({
        status: 'pending',
        started_at: null,
        finished_at: null,
        duration_ms: null,
        error: null,
      });
  }

  async cancelOpenSteps(runId: string, at: string): Promise<void> {
    await this.#trx('run_steps')
      .where({ run_id: runId })
      .whereIn('status', ['pending', 'running'])
      .update({ status: 'cancelled', finished_at: toDbTime(at) });
  }

  async failRunningSteps(
    runId: string,
    at: string,
    error: string,
  ): Promise<void> {
    await this.#trx('run_steps')
      .where({ run_id: runId, status: 'running' })
      .update({ status: 'failed', finished_at: toDbTime(at), error });
  }

  async deleteDeadLetter(id: string): Promise<boolean> {
    return (await this.#trx('dead_letters').where({ id }).delete()) > 0;
  }

  async appendLogLines(runId: string, lines: RunLogLine[]): Promise<void> {
    if (!lines.length) {
      return;
    }
    await this.#trx('run_log_lines').insert(
      lines.map(line => ({
        run_id: runId,
        seq: line.seq,
        at: new Date(line.at),
        step: line.step ?? null,
        level: line.level,
        message: line.message,
      })),
    );
  }

  async bufferEvent(
    message: RunEventMessage,
    receivedAt: string,
  ): Promise<void> {
    await this.#trx('run_pending_events')
      .insert({
        run_id: message.runId,
        attempt: message.attempt,
        delivery: message.delivery,
        seq: message.seq,
        message: JSON.stringify(message),
        received_at: new Date(receivedAt),
      })
      .onConflict(['run_id', 'attempt', 'delivery', 'seq'])
      .ignore();
  }

  async hasBufferedEvents(runId: string): Promise<boolean> {
    const row = await this.#trx('run_pending_events')
      .select('seq')
      .where({ run_id: runId })
      .first();
    return row !== undefined;
  }

  async takeBufferedEvent(
    runId: string,
    key: EventKey,
  ): Promise<RunEventMessage | undefined> {
    const where = {
      run_id: runId,
      attempt: key.attempt,
      delivery: key.delivery,
      seq: key.seq,
    };
    const row = await this.#trx('run_pending_events').where(where).first();
    if (!row) {
      return undefined;
    }
    await this.#trx('run_pending_events').where(where).delete();
    return JSON.parse(row.message) as RunEventMessage;
  }

  async dropBufferedEventsBefore(runId: string, key: EventKey): Promise<void> {
    await this.#trx('run_pending_events')
      .where({ run_id: runId })
      .andWhereRaw('(attempt, delivery) < (?, ?)', [key.attempt, key.delivery])
      .delete();
  }

  async enqueueOutbox(entry: {
    runId?: string;
    topic: OutboxTopic;
    payload: object;
    lease?: { token: string; until: string };
  }): Promise<number> {
    const [row] = await this.#trx('outbox')
      .insert({
        run_id: entry.runId ?? null,
        topic: entry.topic,
        payload: JSON.stringify(entry.payload),
        created_at: new Date(),
        claim_token: entry.lease?.token ?? null,
        claimed_until: toDbTime(entry.lease?.until),
      })
      .returning('id');
    return Number(typeof row === 'object' ? row.id : row);
  }

  async addApproval(runId: string, approval: RunApproval): Promise<void> {
    await this.#trx('run_approvals').insert({
      run_id: runId,
      approver: approval.approver,
      at: new Date(approval.at),
      comment: approval.comment ?? null,
      rules_json: JSON.stringify(approval.rules),
    });
  }

  getApprovals(runId: string): Promise<RunApproval[]> {
    return readApprovals(this.#trx, runId);
  }

  async recordProvisioned(record: ProvisionedRecord): Promise<void> {
    const row: Record<string, unknown> = {
      name: record.name,
      owner: record.owner,
      entity_ref: record.entityRef,
      blueprint_name: record.blueprint.name,
      blueprint_version: record.blueprint.version,
      blueprint_digest: record.blueprint.digest,
      repo_url: record.repoUrl,
      default_branch: record.defaultBranch,
      run_id: record.runId,
      entity: JSON.stringify(record.entity),
      created_at: new Date(record.at),
      updated_at: new Date(record.at),
    };
    if (record.kind === 'component') {
      row.system = record.system;
      row.type = record.type;
    }
    const { created_at: _created, ...update } = row;
    await this.#trx(tableOf(record.kind))
      .insert(row)
      .onConflict('name')
      .merge(update);
  }

  async markDecommissioned(record: {
    kind: CreateRunKind;
    name: string;
    runId: string;
    at: string;
  }): Promise<void> {
    await this.#trx(tableOf(record.kind))
      .where({ name: record.name })
      .whereNull('decommissioned_at')
      .update({
        decommissioned_at: new Date(record.at),
        decommission_run_id: record.runId,
        updated_at: new Date(record.at),
      });
  }

  async recordDeployments(record: {
    kind: CreateRunKind;
    name: string;
    runId: string;
    at: string;
    deployments: DeploymentOutput[];
  }): Promise<void> {
    for (const deployment of record.deployments) {
      const key = {
        entity_kind: record.kind,
        name: record.name,
        environment: deployment.environment,
      };
      if (deployment.state === 'committed') {
        // The version is on the branch Argo CD follows: a proposal of it is done.
        await this.#trx('deployments')
          .where({ ...key, state: 'proposed', version: deployment.version })
          .delete();
      }
      await this.#trx('deployments')
        .insert({
          ...key,
          state: deployment.state,
          version: deployment.version,
          gitops_path: deployment.path,
          commit_sha: deployment.commit,
          branch: deployment.branch ?? null,
          merge_request_url: deployment.mergeRequestUrl ?? null,
          run_id: record.runId,
          updated_at: new Date(record.at),
        })
        .onConflict(['entity_kind', 'name', 'environment', 'state'])
        .merge();
    }
  }
}

/**
 * {@link RunStore} on knex: SQLite and PostgreSQL.
 * @internal
 */
export class DatabaseRunStore implements RunStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseRunStore> {
    const knex = await options.database.getClient();
    if (!options.skipMigrations && !options.database.migrations?.skip) {
      await migrateRunStore(knex);
    }
    await useWriteAheadLog(knex);
    return new DatabaseRunStore(knex, openReader(knex));
  }

  readonly #knex: Knex;
  /** Where reads that need no transaction go; see {@link openReader}. */
  readonly #read: Knex;
  #columns?: Promise<string[]>;

  private constructor(knex: Knex, reader?: Knex) {
    this.#knex = knex;
    this.#read = reader ?? knex;
  }

  /** Closes the SQLite reader, when there is one (the plugin's own client is the backend's). */
  async close(): Promise<void> {
    if (this.#read !== this.#knex) {
      await this.#read.destroy();
    }
  }

  #runColumns(): Promise<string[]> {
    this.#columns ??= this.#knex('runs')
      .columnInfo()
      .then(info => Object.keys(info));
    return this.#columns;
  }

  async transaction<T>(
    fn: (tx: RunStoreTransaction) => Promise<T>,
  ): Promise<T> {
    return this.#knex.transaction(trx =>
      fn(new DatabaseRunStoreTransaction(trx)),
    );
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const row = await this.#read<RunRow>('runs').where({ id }).first();
    return row ? runFromRow(row) : undefined;
  }

  async getRuns(ids: string[]): Promise<RunRecord[]> {
    const out: RunRecord[] = [];
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      const rows = await this.#read<RunRow>('runs').whereIn(
        'id',
        ids.slice(i, i + ID_CHUNK),
      );
      out.push(...rows.map(runFromRow));
    }
    return out;
  }

  async getRunSteps(runId: string): Promise<RunStep[]> {
    const rows = await this.#read<StepRow>('run_steps')
      .where({ run_id: runId })
      .orderBy('position');
    return rows.map(stepFromRow);
  }

  async getRunHistory(runId: string): Promise<RunTransition[]> {
    const rows = await this.#read<TransitionRow>('run_transitions')
      .where({ run_id: runId })
      .orderBy('id');
    return rows.map(transitionFromRow);
  }

  getApprovals(runId: string): Promise<RunApproval[]> {
    return readApprovals(this.#read, runId);
  }

  async listExpiredApprovals(now: string, limit: number): Promise<string[]> {
    const rows = await this.#knex<RunRow>('runs')
      .select('id')
      .where({ status: 'awaiting_approval' })
      .andWhere('approval_expires_at', '<', new Date(now))
      .orderBy('approval_expires_at')
      .limit(limit);
    return rows.map(row => row.id);
  }

  async listRuns(query: RunListQuery): Promise<Page<RunRecord>> {
    // Every column but the pinned job (the blueprint's files and steps): lists never show it.
    const q = this.#read<RunRow>('runs').select(
      (await this.#runColumns()).filter(column => column !== 'blueprint_job'),
    );
    if (query.status?.length) {
      q.whereIn('status', query.status);
    }
    const equal = {
      kind: query.kind,
      system: query.system,
      requested_by: query.requestedBy,
      entity_ref: query.entityRef,
    };
    for (const [column, value] of Object.entries(equal)) {
      if (value !== undefined) {
        q.where(column, value);
      }
    }
    if (query.access) {
      q.where(qb => applyAccessFilter(qb, query.access!));
    }
    if (query.cursor) {
      const cursor = decodeRunCursor(query.cursor);
      // A row-value comparison is one index range condition on both engines.
      q.whereRaw('(created_at, id) < (?, ?)', [cursor.createdAt, cursor.id]);
    }
    const rows = (await q
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(query.limit + 1)) as unknown as RunRow[];
    const items = rows.slice(0, query.limit).map(runFromRow);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor:
        rows.length > query.limit && last
          ? encodeRunCursor({
              createdAt: new Date(last.createdAt),
              id: last.id,
            })
          : undefined,
    };
  }

  async getRunLogs(
    runId: string,
    options: { after: number; limit: number },
  ): Promise<RunLogsPage> {
    const rows = await this.#read<LogRow>('run_log_lines')
      .where({ run_id: runId })
      .andWhere('seq', '>', options.after)
      .orderBy('seq')
      .limit(options.limit);
    const items = rows.map(logFromRow);
    return {
      items,
      lastSeq: items.length ? items[items.length - 1].seq : options.after,
    };
  }

  async findNameConflict(
    kind: CreateRunKind,
    name: string,
    entityRef: string,
  ): Promise<string | undefined> {
    const [existing, active] = await Promise.all([
      this.#knex<ProvisionedRow>(tableOf(kind)).where({ name }).first(),
      this.#knex<RunRow>('runs')
        .where({ entity_ref: entityRef })
        .whereIn('status', ACTIVE_RUN_STATUSES)
        .first(),
    ]);
    if (existing) {
      return `${kind} '${name}' already exists (${existing.entity_ref}, created by run ${existing.run_id})`;
    }
    if (active) {
      return `run ${active.id} is already provisioning ${kind} '${name}' (status ${active.status})`;
    }
    return undefined;
  }

  isActiveRunConflict(error: unknown): boolean {
    const e = error as { code?: string; constraint?: string; message?: string };
    if (e?.code === '23505') {
      return e.constraint === 'runs_active_entity_uq';
    }
    return (
      typeof e?.code === 'string' &&
      e.code.startsWith('SQLITE_CONSTRAINT') &&
      /runs\.entity_ref/.test(e.message ?? '')
    );
  }

  async listSystems(): Promise<ProvisionedSystem[]> {
    const rows = await this.#read<ProvisionedRow>('systems')
      .select(
        'systems.*',
        this.#read('components')
          .count('*')
          .where('components.system', this.#read.ref('systems.name'))
          .whereNull('components.decommissioned_at')
          .as('component_count'),
      )
      .orderBy('name');
    return rows.map(systemFromRow);
  }

  async getSystem(name: string): Promise<ProvisionedSystem | undefined> {
    const row = await this.#read<ProvisionedRow>('systems')
      .where({ name })
      .first();
    if (!row) {
      return undefined;
    }
    const [{ count }] = await this.#read('components')
      .where({ system: name })
      .whereNull('decommissioned_at')
      .count({ count: '*' });
    return systemFromRow({ ...row, component_count: count as number });
  }

  async listComponents(query: {
    system?: string;
  }): Promise<ProvisionedComponent[]> {
    const q = this.#read<ProvisionedRow>('components').orderBy('name');
    if (query.system) {
      q.where({ system: query.system });
    }
    return (await q).map(componentFromRow);
  }

  async getComponent(name: string): Promise<ProvisionedComponent | undefined> {
    const row = await this.#read<ProvisionedRow>('components')
      .where({ name })
      .first();
    return row ? componentFromRow(row) : undefined;
  }

  async listDeployments(
    kind: CreateRunKind,
    name: string,
  ): Promise<DeploymentRecord[]> {
    const rows = await this.#read<DeploymentRow>('deployments')
      .where({ entity_kind: kind, name })
      .orderBy(['environment', 'state']);
    return rows.map(deploymentFromRow);
  }

  async countByBlueprintVersion(
    blueprint: string,
  ): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of ['systems', 'components']) {
      const rows = await this.#read(table)
        .select('blueprint_version')
        .count({ count: '*' })
        .where({ blueprint_name: blueprint })
        .whereNull('decommissioned_at')
        .groupBy('blueprint_version');
      for (const row of rows as Array<{
        blueprint_version: string;
        count: number | string;
      }>) {
        counts[row.blueprint_version] =
          (counts[row.blueprint_version] ?? 0) + Number(row.count);
      }
    }
    return counts;
  }

  async listProvisionedEntities(): Promise<Entity[]> {
    const systems = await this.#read('systems')
      .select('entity')
      .whereNull('decommissioned_at')
      .orderBy('name');
    const components = await this.#read('components')
      .select('entity')
      .whereNull('decommissioned_at')
      .orderBy('name');
    return [...systems, ...components].map(entityFromRow);
  }

  async claimOutbox(options: {
    token: string;
    leaseMs: number;
    limit: number;
  }): Promise<OutboxEntry[]> {
    const now = new Date();
    const free = (qb: Knex.QueryBuilder) =>
      qb.whereNull('claimed_until').orWhere('claimed_until', '<', now);
    // The outer condition is re-checked by PostgreSQL on rows another replica updated
    // concurrently, so a row is never claimed twice.
    await this.#knex('outbox')
      .whereIn('id', sub =>
        sub
          .select('id')
          .from('outbox')
          .where(free)
          .orderBy('id')
          .limit(options.limit),
      )
      .andWhere(free)
      .update({
        claim_token: options.token,
        claimed_until: new Date(now.getTime() + options.leaseMs),
      });
    const rows = await this.#knex('outbox')
      .where({ claim_token: options.token })
      .orderBy('id');
    return rows.map(row => ({
      id: Number(row.id),
      runId: row.run_id ?? undefined,
      topic: row.topic as OutboxTopic,
      payload: JSON.parse(row.payload),
      attempts: row.attempts,
    }));
  }

  async releaseOutbox(id: number, error: string): Promise<void> {
    await this.#knex('outbox')
      .where({ id })
      .update({
        claim_token: null,
        claimed_until: null,
        last_error: error.slice(0, 2000),
        attempts: this.#knex.raw('attempts + 1'),
      });
  }

  async deleteOutbox(id: number): Promise<void> {
    await this.#knex('outbox').where({ id }).delete();
  }

  async countOutbox(): Promise<number> {
    const [{ count }] = await this.#knex('outbox').count({ count: '*' });
    return Number(count);
  }

  async recordDeadLetter(record: DeadLetterRecord): Promise<string> {
    return this.#knex.transaction(async trx => {
      const same =
        record.valid && record.runId
          ? await trx<DeadLetterRow>('dead_letters')
              .where({
                queue: record.queue,
                kind: record.kind ?? null,
                run_id: record.runId,
                attempt: record.attempt ?? null,
              })
              .first()
          : undefined;
      if (same) {
        const existing = deadLetterFromRow(same);
        await trx('dead_letters')
          .where({ id: same.id })
          .update({
            reason: record.reason,
            deaths: existing.deaths + record.deaths,
            first_death_at: new Date(
              Math.min(
                Date.parse(existing.firstDeathAt),
                Date.parse(record.firstDeathAt),
              ),
            ),
            last_death_at: new Date(
              Math.max(
                Date.parse(existing.lastDeathAt),
                Date.parse(record.lastDeathAt),
              ),
            ),
          });
        return same.id;
      }
      const id = randomUUID();
      await trx('dead_letters').insert({
        id,
        queue: record.queue,
        reason: record.reason,
        kind: record.kind ?? null,
        valid: record.valid,
        run_id: record.runId ?? null,
        attempt: record.attempt ?? null,
        bytes: record.bytes,
        deaths: record.deaths,
        first_death_at: new Date(record.firstDeathAt),
        last_death_at: new Date(record.lastDeathAt),
      });
      return id;
    });
  }

  async listDeadLetters(
    limit: number,
  ): Promise<{ items: StoredDeadLetter[]; total: number }> {
    const [rows, [{ count }]] = await Promise.all([
      this.#read<DeadLetterRow>('dead_letters')
        .orderBy([
          { column: 'last_death_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(limit),
      this.#read('dead_letters').count({ count: '*' }),
    ]);
    return { items: rows.map(deadLetterFromRow), total: Number(count) };
  }

  async getDeadLetter(id: string): Promise<StoredDeadLetter | undefined> {
    const row = await this.#read<DeadLetterRow>('dead_letters')
      .where({ id })
      .first();
    return row ? deadLetterFromRow(row) : undefined;
  }

  async purgeDeadLetters(ids?: string[]): Promise<number> {
    if (!ids) {
      return this.#knex('dead_letters').delete();
    }
    let purged = 0;
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      purged += await this.#knex('dead_letters')
        .whereIn('id', ids.slice(i, i + ID_CHUNK))
        .delete();
    }
    return purged;
  }

  async listStaleRunningRuns(
    updatedBefore: string,
    limit: number,
  ): Promise<string[]> {
    const rows = await this.#knex<RunRow>('runs')
      .select('id')
      .where({ status: 'running' })
      .andWhere('updated_at', '<', new Date(updatedBefore))
      .orderBy('updated_at')
      .limit(limit);
    return rows.map(row => row.id);
  }

  async readGauges(): Promise<StoreGauges> {
    const count = async (table: string) =>
      Number((await this.#read(table).count({ n: '*' }))[0].n);
    const [runs, [outbox], pendingEvents, deadLetters] = await Promise.all([
      this.#read('runs')
        .select('status', 'blueprint_name')
        .count({ n: '*' })
        .groupBy('status', 'blueprint_name') as Promise<
        Array<{ status: string; blueprint_name: string; n: number | string }>
      >,
      this.#read('outbox').count({ n: '*' }).min({ oldest: 'created_at' }),
      count('run_pending_events'),
      count('dead_letters'),
    ]);
    return {
      runs: runs.map(row => ({
        status: row.status as RunStatus,
        blueprint: String(row.blueprint_name),
        count: Number(row.n),
      })),
      outboxSize: Number(outbox.n),
      oldestOutboxAt: toIso(outbox.oldest as DbTime | null),
      pendingEvents,
      deadLetters,
    };
  }

  async pruneBefore(before: string): Promise<PruneResult> {
    const cutoff = new Date(before);
    const logLines = await this.#knex('run_log_lines')
      .where('at', '<', cutoff)
      .delete();
    const pendingEvents = await this.#knex('run_pending_events')
      .where('received_at', '<', cutoff)
      .delete();
    return { logLines, pendingEvents };
  }
}

function tableOf(kind: CreateRunKind) {
  return kind === 'system' ? 'systems' : 'components';
}

function applyAccessFilter(
  qb: Knex.QueryBuilder,
  filter: RunAccessFilter,
): void {
  if ('allOf' in filter) {
    for (const f of filter.allOf) {
      qb.andWhere(sub => applyAccessFilter(sub, f));
    }
  } else if ('anyOf' in filter) {
    if (!filter.anyOf.length) {
      qb.whereRaw('1 = 0');
    }
    for (const f of filter.anyOf) {
      qb.orWhere(sub => applyAccessFilter(sub, f));
    }
  } else if ('not' in filter) {
    qb.whereNot(sub => applyAccessFilter(sub, filter.not));
  } else if ('requestedBy' in filter) {
    qb.whereIn('requested_by', filter.requestedBy);
  } else {
    qb.whereIn('owner', filter.owner);
  }
}
