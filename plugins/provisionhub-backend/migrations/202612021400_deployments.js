// @ts-check

/**
 * Environments and GitOps. A run keeps what it deploys through the GitOps repository (the
 * environments resolved when it was requested, and for a promotion its source, target and
 * version). `deployments` records what runs wrote there, per entity and environment: the version
 * committed to the branch Argo CD follows, and the one proposed on a branch or merge request.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('runs', table => {
    table
      .text('deploy_json')
      .nullable()
      .comment(
        'JSON: what the run writes to the GitOps repository (JobDeployment)',
      );
  });
  await knex.schema.createTable('deployments', table => {
    table.comment('What runs wrote to the GitOps repository, per environment');
    table.string('entity_kind', 16).notNullable().comment('system | component');
    table.string('name', 255).notNullable();
    table.string('environment', 63).notNullable();
    table
      .string('state', 16)
      .notNullable()
      .comment('committed (on the branch Argo CD follows) | proposed');
    table.string('version', 128).notNullable().comment('The image tag');
    table
      .string('gitops_path', 500)
      .notNullable()
      .comment('The overlay folder');
    table.string('commit_sha', 64).notNullable();
    table.string('branch', 255).nullable().comment('Proposed: the branch');
    table.text('merge_request_url').nullable();
    table.string('run_id', 36).notNullable().comment('The run that wrote it');
    table.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable();
    table.primary(['entity_kind', 'name', 'environment', 'state']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('deployments');
  await knex.schema.alterTable('runs', table => {
    table.dropColumn('deploy_json');
  });
};
