// @ts-check

/**
 * Day 2: an `upgrade` run keeps what its job needs beyond the target blueprint — the component's
 * current version and values, the branch, the changed values and the changelog.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('runs', table => {
    table
      .text('upgrade_json')
      .nullable()
      .comment(
        'JSON: upgrade runs only: from version and values, branch, changed values, changelog',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('runs', table => {
    table.dropColumn('upgrade_json');
  });
};
