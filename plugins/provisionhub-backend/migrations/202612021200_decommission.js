// @ts-check

/**
 * Day 2: decommission. A `decommission` run keeps its reason; a decommissioned system or
 * component keeps its row (and its runs) with when and by which run it was retired.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('runs', table => {
    table
      .text('decommission_json')
      .nullable()
      .comment('JSON: decommission runs only: the reason');
  });
  for (const name of ['systems', 'components']) {
    await knex.schema.alterTable(name, table => {
      table
        .timestamp('decommissioned_at', { useTz: true, precision: 3 })
        .nullable()
        .comment('When its decommission run succeeded; null while it is live');
      table
        .string('decommission_run_id', 36)
        .nullable()
        .comment('The decommission run that retired it');
    });
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const name of ['systems', 'components']) {
    await knex.schema.alterTable(name, table => {
      table.dropColumn('decommissioned_at');
      table.dropColumn('decommission_run_id');
    });
  }
  await knex.schema.alterTable('runs', table => {
    table.dropColumn('decommission_json');
  });
};
