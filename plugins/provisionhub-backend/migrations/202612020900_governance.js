// @ts-check

/**
 * Governance: the policy decision and environment of every run, when its wait for approval
 * ends, and the approvals it received.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('runs', table => {
    table.string('environment', 63).nullable();
    table
      .text('policy_json')
      .nullable()
      .comment('JSON: the policy decision taken when the run was requested');
    table
      .timestamp('approval_expires_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('A run still awaiting approval at this time is rejected');
    table.index(['status', 'approval_expires_at'], 'runs_approval_expiry_idx');
  });

  await knex.schema.createTable('run_approvals', table => {
    table.comment('Approvals of runs held by policy, one row per approver');
    table
      .string('run_id', 36)
      .notNullable()
      .references('id')
      .inTable('runs')
      .onDelete('CASCADE');
    table.string('approver', 255).notNullable();
    table.timestamp('at', { useTz: true, precision: 3 }).notNullable();
    table.text('comment').nullable();
    table
      .text('rules_json')
      .notNullable()
      .comment(
        'JSON: ids of the approval requirements this approval counted for',
      );
    table.primary(['run_id', 'approver']);
  });

  await backfillHeldRuns(knex);
};

/**
 * Runs held by the old `provisionhub.approval` lists get the decision those lists meant (one
 * approval from anyone allowed to approve), and their recorded approvals, so that cancel and
 * retry cannot skip an approval they never had.
 *
 * @param {import('knex').Knex} knex
 */
async function backfillHeldRuns(knex) {
  const legacy = {
    decision: 'require-approval',
    rules: [
      {
        id: 'approval',
        description: 'provisionhub.approval (before policy rules)',
        effect: 'require-approval',
        reason: 'held by the provisionhub.approval lists',
      },
    ],
    approvers: {
      groups: [],
      count: 1,
      requirements: [{ rule: 'approval', groups: [], count: 1 }],
    },
  };
  const held = knex('run_transitions')
    .select('run_id')
    .where({ status: 'awaiting_approval' });
  await knex('runs')
    .whereIn('id', held)
    .update({ policy_json: JSON.stringify(legacy) });
  const approvals = await knex('run_transitions')
    .select('run_id', 'actor', 'at', 'reason')
    .where({ status: 'queued' })
    .andWhere('reason', 'like', 'approved%')
    .whereIn('run_id', held);
  for (const row of approvals) {
    const comment = String(row.reason).replace(/^approved:?\s*/, '');
    await knex('run_approvals')
      .insert({
        run_id: row.run_id,
        approver: row.actor,
        at: row.at,
        comment: comment || null,
        rules_json: JSON.stringify(['approval']),
      })
      .onConflict(['run_id', 'approver'])
      .ignore();
  }
}

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('run_approvals');
  await knex.schema.alterTable('runs', table => {
    table.dropIndex(
      ['status', 'approval_expires_at'],
      'runs_approval_expiry_idx',
    );
    table.dropColumn('approval_expires_at');
    table.dropColumn('policy_json');
    table.dropColumn('environment');
  });
};
