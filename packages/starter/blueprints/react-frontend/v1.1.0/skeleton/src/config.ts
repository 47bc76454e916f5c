/** Settings chosen when the app was created; change them here. */
export const appConfig = {
  title: ${{ values.title | dump }},
  /** Where the backend is, relative to the app's own origin (nginx proxies it in Kubernetes). */
  apiPath: '${{ values.apiPath }}',
  service: '${{ name }}',
  system: '${{ system }}',
} as const;
