import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { BlueprintStatusChip } from './BlueprintStatusChip';

describe('BlueprintStatusChip', () => {
  it('names why a version is refused, with the full reason', async () => {
    await renderInTestApp(
      <BlueprintStatusChip
        status={{
          usable: false,
          trusted: true,
          reason:
            'modified after publication: its files now have digest sha256:bbb; publish a new version',
        }}
      />,
    );
    expect(screen.getByText('modified after publication')).toBeInTheDocument();
    expect(
      screen.getByLabelText(
        'modified after publication: its files now have digest sha256:bbb; publish a new version',
      ),
    ).toBeInTheDocument();
  });

  it('shows nothing for a usable version', async () => {
    await renderInTestApp(
      <div data-testid="holder">
        <BlueprintStatusChip status={{ usable: true, trusted: true }} />
      </div>,
    );
    expect(screen.getByTestId('holder')).toBeEmptyDOMElement();
  });
});
