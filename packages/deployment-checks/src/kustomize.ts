import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

const run = promisify(execFile);

/**
 * One object of a built kustomization, as plain data.
 * @public
 */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
  };
  [field: string]: unknown;
}

/**
 * Builds a kustomization directory with `kubectl kustomize` and returns its objects.
 * Throws with kubectl's own message when the build fails, and says how to install kubectl when
 * it is missing.
 * @public
 */
export async function buildKustomization(
  dir: string,
): Promise<KubernetesObject[]> {
  let stdout: string;
  try {
    ({ stdout } = await run('kubectl', ['kustomize', dir], {
      maxBuffer: 16 * 1024 * 1024,
    }));
  } catch (error) {
    const { code, stderr, message } = error as NodeJS.ErrnoException & {
      stderr?: string;
    };
    if (code === 'ENOENT') {
      throw new Error(
        'kubectl is not installed: scripts/ensure-services.sh installs it (see deployments/kubernetes/README.md)',
      );
    }
    throw new Error(
      `kubectl kustomize ${dir} failed: ${stderr?.trim() || message}`,
    );
  }
  return parseAllDocuments(stdout).flatMap(doc => {
    if (doc.errors.length > 0) {
      throw new Error(
        `kubectl kustomize ${dir} printed invalid YAML: ${doc.errors[0].message}`,
      );
    }
    const object = doc.toJSON();
    return object ? [object as KubernetesObject] : [];
  });
}

/**
 * The one object of the given kind and name; throws naming what is missing.
 * @public
 */
export function findObject(
  objects: KubernetesObject[],
  kind: string,
  name: string,
): KubernetesObject {
  const found = objects.filter(
    o => o.kind === kind && o.metadata.name === name,
  );
  if (found.length !== 1) {
    throw new Error(
      `expected one ${kind} named ${name}, found ${
        found.length
      }; objects: ${objects
        .map(o => `${o.kind}/${o.metadata.name}`)
        .join(', ')}`,
    );
  }
  return found[0];
}
