import {
  InfoCard,
  StatusError,
  StatusOK,
  StatusPending,
  Table,
  TableColumn,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  PolicyDecision,
  PolicyEffect,
  PolicyRuleResult,
  RunApproval,
  describePolicyDecision,
} from '@provisionhub/plugin-provisionhub-common';
import { formatTimestamp } from '../../utils/format';

const EFFECT_TEXT: Record<PolicyEffect, string> = {
  allow: 'Allowed',
  'require-approval': 'Needs approval',
  deny: 'Denied',
};

function EffectLabel(props: { effect: PolicyEffect }) {
  const text = EFFECT_TEXT[props.effect];
  switch (props.effect) {
    case 'deny':
      return <StatusError>{text}</StatusError>;
    case 'require-approval':
      return <StatusPending>{text}</StatusPending>;
    default:
      return <StatusOK>{text}</StatusOK>;
  }
}

const ruleColumns: TableColumn<PolicyRuleResult>[] = [
  { title: 'Rule', field: 'id', highlight: true },
  { title: 'Effect', render: rule => <EffectLabel effect={rule.effect} /> },
  { title: 'Why', field: 'reason' },
];

const approvalColumns: TableColumn<RunApproval>[] = [
  { title: 'Approved by', field: 'approver', highlight: true },
  { title: 'When', render: a => formatTimestamp(a.at) },
  { title: 'Comment', render: a => a.comment ?? '' },
];

/**
 * What policy decided (or would decide) for a request: the outcome in one sentence, the rules
 * that fired with their reasons, and, for a run, the approvals given so far.
 */
export function PolicyDecisionCard(props: {
  decision: PolicyDecision;
  title?: string;
  approvals?: RunApproval[];
  approvalExpiresAt?: string;
}) {
  const { decision, approvals, approvalExpiresAt } = props;
  return (
    <InfoCard title={props.title ?? 'Policy'}>
      <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={1}>
        <EffectLabel effect={decision.decision} />
        <Typography variant="body2" data-testid="policy-explanation">
          {describePolicyDecision(decision)}
        </Typography>
      </Box>
      {approvalExpiresAt && (
        <Typography variant="body2" color="textSecondary">
          Rejected automatically when not approved by{' '}
          {formatTimestamp(approvalExpiresAt)}.
        </Typography>
      )}
      {decision.rules.length > 0 && (
        <Table<PolicyRuleResult>
          title="Rules that apply"
          columns={ruleColumns}
          data={decision.rules.map(rule => ({ ...rule }))}
          options={{
            paging: false,
            search: false,
            padding: 'dense',
            toolbar: false,
          }}
        />
      )}
      {approvals && approvals.length > 0 && (
        <Table<RunApproval>
          title="Approvals"
          columns={approvalColumns}
          data={approvals.map(a => ({ ...a }))}
          options={{ paging: false, search: false, padding: 'dense' }}
        />
      )}
    </InfoCard>
  );
}
