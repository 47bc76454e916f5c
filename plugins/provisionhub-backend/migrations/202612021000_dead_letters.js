// @ts-check

/**
 * The dead-letter console: every message that reached the dead-letter queue, moved here by the
 * control plane so operators can list, re-drive and purge them by id. The message body itself is
 * not kept (it may carry request values); what identifies it is.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dead_letters', table => {
    table.comment('Dead-lettered messages, for the dead-letter console');
    table.string('id', 36).primary().notNullable();
    table.string('queue', 255).notNullable().comment('Where it died');
    table.text('reason').notNullable();
    table
      .string('kind', 64)
      .nullable()
      .comment('The message kind when the body named one');
    table
      .boolean('valid')
      .notNullable()
      .comment('The body is a valid ProvisionHub message');
    table.string('run_id', 64).nullable();
    table.integer('attempt').nullable();
    table.integer('bytes').notNullable();
    table.integer('deaths').notNullable();
    table
      .timestamp('first_death_at', { useTz: true, precision: 3 })
      .notNullable();
    table
      .timestamp('last_death_at', { useTz: true, precision: 3 })
      .notNullable();
    table.index(['last_death_at', 'id'], 'dead_letters_last_death_idx');
    table.index(['run_id', 'attempt'], 'dead_letters_run_idx');
  });
  await knex.schema.alterTable('run_log_lines', table => {
    table.index(['at'], 'run_log_lines_at_idx');
  });
  await knex.schema.alterTable('runs', table => {
    table.index(['status', 'updated_at'], 'runs_status_updated_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('runs', table => {
    table.dropIndex(['status', 'updated_at'], 'runs_status_updated_idx');
  });
  await knex.schema.alterTable('run_log_lines', table => {
    table.dropIndex(['at'], 'run_log_lines_at_idx');
  });
  await knex.schema.dropTable('dead_letters');
};
