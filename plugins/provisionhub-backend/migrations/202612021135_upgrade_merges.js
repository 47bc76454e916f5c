// @ts-check

/**
 * The component follows the repository: what the control plane learnt about the branch or merge
 * request of each succeeded `upgrade` run. `merged` upgrades became the component's version and
 * values; `closed` and `superseded` ones never will; the others are asked again.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('upgrade_merges', table => {
    table.comment(
      'Merge state of the branches and merge requests of upgrade runs',
    );
    table.string('run_id', 36).primary().notNullable();
    table
      .string('state', 16)
      .notNullable()
      .comment('open | merged | closed | superseded');
    table.text('detail').nullable().comment('What the last check found');
    table.timestamp('checked_at', { useTz: true, precision: 3 }).notNullable();
    table.index(['state'], 'upgrade_merges_state_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('upgrade_merges');
};
