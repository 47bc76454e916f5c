import {
  AppProject,
  Application,
  ApplicationSet,
} from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import {
  ScaledObject,
  TriggerAuthentication,
} from '@kubernetes-models/keda/keda.sh/v1alpha1';
import {
  PrometheusRule,
  ServiceMonitor,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import {
  ConfigMap,
  LimitRange,
  Namespace,
  ResourceQuota,
  Secret,
  Service,
  ServiceAccount,
} from 'kubernetes-models/v1';
import type { KubernetesObject } from './kustomize';

type Model = new (data: any) => { validate(): void };

/** The schema of every kind the manifests use, by `apiVersion` and `kind`. */
const MODELS: Record<string, Model> = Object.fromEntries(
  [
    Namespace,
    ResourceQuota,
    LimitRange,
    ConfigMap,
    Secret,
    Service,
    ServiceAccount,
    Deployment,
    PodDisruptionBudget,
    HorizontalPodAutoscaler,
    NetworkPolicy,
    ScaledObject,
    TriggerAuthentication,
    ServiceMonitor,
    PrometheusRule,
    Application,
    ApplicationSet,
    AppProject,
  ].map(model => [`${model.apiVersion} ${model.kind}`, model as Model]),
);

/**
 * Validates an object against the JSON schema of its kind (kubernetes-models and the KEDA,
 * Prometheus Operator and Argo CD models). Throws with the object and the schema's message when it is
 * invalid, and for a kind without a schema here.
 * @public
 */
export function validateObject(object: KubernetesObject): void {
  const what = `${object.kind} ${object.metadata?.name}`;
  const Model = MODELS[`${object.apiVersion} ${object.kind}`];
  if (!Model) {
    throw new Error(
      `${what}: no schema for ${object.apiVersion} ${object.kind}; add its model to MODELS in validateObject.ts`,
    );
  }
  try {
    new Model(object).validate();
  } catch (error) {
    throw new Error(`${what} is invalid: ${(error as Error).message}`);
  }
}
