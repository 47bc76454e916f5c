/**
 * Checks of ProvisionHub's deployment files: the Dockerfiles and the Kubernetes overlays.
 *
 * @packageDocumentation
 */
export { buildKustomization, findObject } from './kustomize';
export type { KubernetesObject } from './kustomize';
export { validateObject } from './validateObject';
export { lintDockerfile, parseDockerfile } from './dockerfile';
export type { DockerInstruction, DockerStage } from './dockerfile';
