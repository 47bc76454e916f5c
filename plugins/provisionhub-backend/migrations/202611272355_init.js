// @ts-check

/**
 * Statuses in which a run still claims its name: a second run for the same entity is refused
 * by the partial unique index below, so two concurrent requests can never both be accepted.
 */
const ACTIVE_STATUSES = ['requested', 'awaiting_approval', 'queued', 'running'];

/**
 * Timestamps are always written by the application (never database defaults), so SQLite and
 * PostgreSQL store comparable values and keyset pagination works the same on both.
 *
 * @param {import('knex').Knex.CreateTableBuilder} table
 * @param {string} name
 */
function timestamp(table, name) {
  return table.timestamp(name, { useTz: true, precision: 3 });
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('runs', table => {
    table.comment(
      'Provisioning runs: a request for a system or component and its execution state',
    );
    table.string('id', 36).primary().notNullable();
    table.string('kind', 16).notNullable();
    table.string('name', 255).notNullable();
    table.string('owner', 255).notNullable();
    table.string('system', 255).nullable();
    table.string('entity_ref', 255).notNullable();
    table.string('requested_by', 255).notNullable();
    table
      .string('source', 255)
      .nullable()
      .comment('Where the request came from, e.g. rest or scaffolder:<task>');
    table.string('blueprint_name', 255).notNullable();
    table.string('blueprint_version', 64).notNullable();
    table.string('blueprint_digest', 80).notNullable();
    table
      .text('blueprint_job')
      .nullable()
      .comment('JSON: the pinned blueprint part of the job message');
    table.text('values_json').notNullable();
    table.string('status', 32).notNullable();
    table.integer('attempt').notNullable();
    table.integer('max_attempt').notNullable();
    table.text('error_message').nullable();
    table.string('error_step', 255).nullable();
    table.boolean('error_retryable').nullable();
    table.boolean('error_dead_lettered').nullable();
    table.text('rejection_reason').nullable();
    table
      .text('outputs')
      .nullable()
      .comment('JSON: repoUrl, defaultBranch, entityRef');
    table
      .integer('event_attempt')
      .notNullable()
      .comment('Cursor of the last applied run event');
    table.integer('event_delivery').notNullable();
    table.integer('event_seq').notNullable();
    table.integer('last_log_seq').notNullable();
    timestamp(table, 'requested_at').notNullable();
    timestamp(table, 'created_at').notNullable();
    timestamp(table, 'updated_at').notNullable();
    timestamp(table, 'started_at').nullable();
    timestamp(table, 'finished_at').nullable();
    // GET /runs is newest first with a (created_at, id) keyset; each filter gets its own
    // index ending in the sort key so a deep page is an index range scan.
    table.index(['created_at', 'id'], 'runs_created_idx');
    table.index(['status', 'created_at', 'id'], 'runs_status_created_idx');
    table.index(['kind', 'created_at', 'id'], 'runs_kind_created_idx');
    table.index(['system', 'created_at', 'id'], 'runs_system_created_idx');
    table.index(
      ['requested_by', 'created_at', 'id'],
      'runs_requested_by_created_idx',
    );
    table.index(
      ['entity_ref', 'created_at', 'id'],
      'runs_entity_ref_created_idx',
    );
  });
  // DDL takes no bind parameters; the statuses are constants above.
  await knex.raw(
    `CREATE UNIQUE INDEX runs_active_entity_uq ON runs (entity_ref) WHERE status IN (${ACTIVE_STATUSES.map(
      s => `'${s}'`,
    ).join(', ')})`,
  );

  await knex.schema.createTable('run_steps', table => {
    table.comment('The planned steps of a run and their progress');
    table
      .string('run_id', 36)
      .notNullable()
      .references('id')
      .inTable('runs')
      .onDelete('CASCADE');
    table.integer('position').notNullable();
    table.string('step_id', 255).notNullable();
    table.string('title', 255).notNullable();
    table.string('status', 16).notNullable();
    table.integer('attempt').nullable();
    timestamp(table, 'started_at').nullable();
    timestamp(table, 'finished_at').nullable();
    table.integer('duration_ms').nullable();
    table.text('detail').nullable();
    table.text('error').nullable();
    table.primary(['run_id', 'step_id']);
  });

  await knex.schema.createTable('run_log_lines', table => {
    table.comment('Log lines of a run, ordered by a per-run sequence');
    table
      .string('run_id', 36)
      .notNullable()
      .references('id')
      .inTable('runs')
      .onDelete('CASCADE');
    table.integer('seq').notNullable();
    timestamp(table, 'at').notNullable();
    table.string('step', 255).nullable();
    table.string('level', 8).notNullable();
    table.text('message').notNullable();
    table.primary(['run_id', 'seq']);
  });

  await knex.schema.createTable('run_transitions', table => {
    table.comment(
      'Status history of every run: who or what changed it, when and why',
    );
    table.bigIncrements('id').primary();
    table
      .string('run_id', 36)
      .notNullable()
      .references('id')
      .inTable('runs')
      .onDelete('CASCADE');
    table.string('status', 32).notNullable();
    timestamp(table, 'at').notNullable();
    table.string('actor', 255).notNullable();
    table.text('reason').nullable();
    table.index(['run_id', 'id'], 'run_transitions_run_idx');
  });

  await knex.schema.createTable('run_pending_events', table => {
    table.comment(
      'Run events that arrived ahead of a gap, waiting for the events before them',
    );
    table
      .string('run_id', 36)
      .notNullable()
      .references('id')
      .inTable('runs')
      .onDelete('CASCADE');
    table.integer('attempt').notNullable();
    table.integer('delivery').notNullable();
    table.integer('seq').notNullable();
    table.text('message').notNullable();
    timestamp(table, 'received_at').notNullable();
    table.primary(['run_id', 'attempt', 'delivery', 'seq']);
  });

  for (const kind of ['systems', 'components']) {
    await knex.schema.createTable(kind, table => {
      table.comment(`Provisioned ${kind}, recorded when their run succeeds`);
      table.string('name', 255).primary().notNullable();
      if (kind === 'components') {
        table
          .string('system', 255)
          .notNullable()
          .index('components_system_idx');
        table.string('type', 64).notNullable();
      }
      table.string('owner', 255).notNullable();
      table.string('entity_ref', 255).notNullable();
      table.string('blueprint_name', 255).notNullable();
      table.string('blueprint_version', 64).notNullable();
      table.string('blueprint_digest', 80).notNullable();
      table.text('repo_url').nullable();
      table.string('default_branch', 255).nullable();
      table.string('run_id', 36).notNullable();
      table
        .text('entity')
        .notNullable()
        .comment('JSON: the catalog entity, annotations included');
      timestamp(table, 'created_at').notNullable();
      timestamp(table, 'updated_at').notNullable();
    });
  }

  await knex.schema.createTable('outbox', table => {
    table.comment(
      'Messages committed with run changes, published to RabbitMQ after commit',
    );
    table.bigIncrements('id').primary();
    table.string('run_id', 36).nullable();
    table.string('topic', 32).notNullable().comment('job | run.cancel');
    table.text('payload').notNullable();
    timestamp(table, 'created_at').notNullable();
    table.string('claim_token', 64).nullable();
    timestamp(table, 'claimed_until')
      .nullable()
      .comment('Lease: no other replica publishes the row before this');
    table.integer('attempts').notNullable().defaultTo(0);
    table.text('last_error').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const name of [
    'outbox',
    'components',
    'systems',
    'run_pending_events',
    'run_transitions',
    'run_log_lines',
    'run_steps',
    'runs',
  ]) {
    await knex.schema.dropTable(name);
  }
};
