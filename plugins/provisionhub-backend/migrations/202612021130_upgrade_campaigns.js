// @ts-check

/**
 * Bulk upgrades: a campaign upgrades every component of a blueprint on one version to another,
 * one `upgrade` run per component; a component that could not get a run keeps why.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('upgrade_campaigns', table => {
    table.comment('Bulk upgrades of a blueprint from one version to another');
    table.string('id', 36).primary().notNullable();
    table.string('blueprint', 255).notNullable();
    table.string('from_version', 64).notNullable();
    table.string('to_version', 64).notNullable();
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable();
    table.index(['blueprint', 'created_at'], 'upgrade_campaigns_blueprint_idx');
  });
  await knex.schema.createTable('upgrade_campaign_runs', table => {
    table.comment(
      'The components of a campaign: their upgrade run, or why none',
    );
    table
      .string('campaign_id', 36)
      .notNullable()
      .references('id')
      .inTable('upgrade_campaigns')
      .onDelete('CASCADE');
    table.string('component', 255).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('run_id', 36).nullable();
    table.text('skipped_reason').nullable();
    table.primary(['campaign_id', 'component']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('upgrade_campaign_runs');
  await knex.schema.dropTable('upgrade_campaigns');
};
