import type { Config } from '@backstage/config';
import {
  ENVIRONMENT_NAMESPACE_PLACEHOLDERS,
  EnvironmentDefinition,
  GITOPS_PATTERNS,
  validateResourceName,
} from '@provisionhub/plugin-provisionhub-common';

const KEY = 'provisionhub.environments';
const DEFAULT_SERVER = 'https://kubernetes.default.svc';
const DEFAULT_NAMESPACE = '${system}-${environment}';
/** Each system's own AppProject, which its system run writes to the GitOps repository. */
const DEFAULT_PROJECT = '${system}';
const PLACEHOLDER = /\$\{([^}]*)\}/g;
/** What a namespace is once its placeholders are replaced by names (lenient on length). */
const NAMESPACE_TEXT = new RegExp(GITOPS_PATTERNS.kubernetesName);

/** A pattern of Kubernetes names (namespace, Argo CD project) with known placeholders. */
function namespacePattern(value: string, where: string): string {
  const unknown = [...value.matchAll(PLACEHOLDER)]
    .map(m => m[1])
    .filter(
      name =>
        !(ENVIRONMENT_NAMESPACE_PLACEHOLDERS as readonly string[]).includes(
          name,
        ),
    );
  if (unknown.length > 0) {
    throw new Error(
      `${where}: unknown placeholder \${${
        unknown[0]
      }}; use ${ENVIRONMENT_NAMESPACE_PLACEHOLDERS.map(p => `\${${p}}`).join(
        ', ',
      )}`,
    );
  }
  if (!NAMESPACE_TEXT.test(value.replace(PLACEHOLDER, 'x'))) {
    throw new Error(
      `${where}: '${value}' does not make a Kubernetes namespace (lowercase letters, digits and '-', starting and ending with a letter or digit)`,
    );
  }
  return value;
}

/**
 * Reads `provisionhub.environments`: the portal's deployment environments in promotion order.
 * An absent list means the portal has none and a request may name any environment.
 * @throws Error naming the key and what is wrong with it
 * @internal
 */
export function readEnvironments(config: Config): EnvironmentDefinition[] {
  const entries = config.getOptionalConfigArray(KEY) ?? [];
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const where = `${KEY}[${index}]`;
    const name = entry.getString('name');
    const problem = validateResourceName(name);
    if (problem) {
      throw new Error(`${where}.name '${name}': ${problem}`);
    }
    if (seen.has(name)) {
      throw new Error(`${where}.name: '${name}' is listed twice`);
    }
    seen.add(name);
    const cluster = entry.getOptionalString('cluster');
    return {
      name,
      title: entry.getOptionalString('title') ?? name,
      ...(cluster ? { cluster } : {}),
      destination: {
        server: entry.getOptionalString('destination.server') ?? DEFAULT_SERVER,
        namespace: namespacePattern(
          entry.getOptionalString('destination.namespace') ?? DEFAULT_NAMESPACE,
          `${where}.destination.namespace`,
        ),
      },
      argocdProject: namespacePattern(
        entry.getOptionalString('argocd.project') ?? DEFAULT_PROJECT,
        `${where}.argocd.project`,
      ),
      automatic: entry.getOptionalBoolean('automatic') ?? false,
    };
  });
}
