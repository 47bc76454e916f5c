/** The run's page in the ProvisionHub frontend plugin. */
export function runUrlFor(appBaseUrl: string, runId: string): string {
  return `${appBaseUrl.replace(
    /\/+$/,
    '',
  )}/provisionhub/runs/${encodeURIComponent(runId)}`;
}
