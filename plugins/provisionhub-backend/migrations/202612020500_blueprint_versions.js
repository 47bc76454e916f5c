// @ts-check

/**
 * The blueprint version ledger: the digest of each blueprint name@version the first time the
 * control plane saw it. A version whose files later have another digest was modified after
 * publication; runs of it are refused.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('blueprint_versions', table => {
    table.comment(
      'Published blueprint versions: the digest first seen for each name@version',
    );
    table.string('name', 255).notNullable();
    table.string('version', 64).notNullable();
    table
      .string('digest', 80)
      .notNullable()
      .comment('sha256: over every file, shared folders included');
    table.string('entity_ref', 255).notNullable();
    table.text('location').notNullable();
    table
      .timestamp('first_seen_at', { useTz: true, precision: 3 })
      .notNullable();
    table.primary(['name', 'version']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('blueprint_versions');
};
