import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ABORT_GRACE_MS,
  WorkerRegistry,
  loadAppConfig,
  loadWorkerModules,
  readWorkerConfig,
} from '@provisionhub/worker';
import type { WorkerConfig } from '@provisionhub/worker';
import { KubernetesObject, buildKustomization, findObject } from './kustomize';
import { validateObject } from './validateObject';

jest.setTimeout(60000);

const ROOT = path.resolve(__dirname, '../../../deployments/kubernetes');
const OVERLAYS = fs.readdirSync(path.join(ROOT, 'overlays')).sort();

/** The worker replica bounds of each overlay, as deployments/kubernetes/README.md lists them. */
const REPLICAS: Record<string, { min: number; max: number }> = {
  dev: { min: 1, max: 3 },
  production: { min: 2, max: 20 },
};

/** Time to close the broker connection and flush the last log lines. */
const CLOSE_MARGIN_SECONDS = 5;

/** Stand-ins for the Secret's keys, so the worker's config loads as it does in the pod. */
const SECRET_VALUES: Record<string, string> = {
  'amqp-url': 'amqp://worker:not-a-secret@rabbitmq:5672',
  'gitlab-token': 'glpat-not-a-secret',
};

/** Variables whose values are secrets: they must come from a Secret. */
const SECRET_NAME = /PASSWORD|TOKEN|SECRET|AMQP_URL|CREDENTIAL|KEY$/;

type Any = any;

/** The whole app-config, as the worker loads it. */
type Config = Awaited<ReturnType<typeof loadAppConfig>>;

const selects = (
  selector: Record<string, string>,
  labels: Record<string, string>,
) =>
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([k, v]) => labels[k] === v);

function containersOf(objects: KubernetesObject[]): Any[] {
  return objects
    .filter(o => o.kind === 'Deployment')
    .flatMap(o => (o as Any).spec.template.spec.containers);
}

/**
 * The worker's configuration as the pod sees it: the app-config file from its ConfigMap volume,
 * `${VAR}`s from the Deployment's environment, read by the worker's own config reader.
 */
async function readPodWorkerConfig(
  objects: KubernetesObject[],
  deployment: Any,
): Promise<{ config: WorkerConfig; rootConfig: Config; file: string }> {
  const pod = deployment.spec.template.spec;
  const [container] = pod.containers;
  const file = container.args[container.args.indexOf('--config') + 1];
  const mount = container.volumeMounts.find((m: Any) =>
    file.startsWith(`${m.mountPath}/`),
  );
  const volume = pod.volumes.find((v: Any) => v.name === mount.name);
  const configMap = findObject(
    objects,
    'ConfigMap',
    volume.configMap.name,
  ) as Any;
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) {
      Object.assign(
        env,
        (findObject(objects, 'ConfigMap', from.configMapRef.name) as Any).data,
      );
    }
  }
  for (const variable of container.env ?? []) {
    const key = variable.valueFrom?.secretKeyRef?.key;
    if (key && !(key in SECRET_VALUES)) {
      throw new Error(`add a stand-in for secret key ${key} to SECRET_VALUES`);
    }
    env[variable.name] = key ? SECRET_VALUES[key] : variable.value;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'provisionhub-k8s-'));
  try {
    const local = path.join(dir, path.basename(file));
    fs.writeFileSync(local, configMap.data[path.basename(file)]);
    const rootConfig = await loadAppConfig({ files: [local], env });
    return { config: readWorkerConfig(rootConfig), rootConfig, file };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('deployments/kubernetes', () => {
  it('has the overlays the README documents', () => {
    expect(OVERLAYS).toEqual(Object.keys(REPLICAS).sort());
  });

  describe.each(OVERLAYS)('overlays/%s', overlay => {
    let objects: KubernetesObject[];
    let worker: Any;
    let config: WorkerConfig;
    let rootConfig: Config;
    let configFile: string;

    beforeAll(async () => {
      objects = await buildKustomization(path.join(ROOT, 'overlays', overlay));
      worker = findObject(objects, 'Deployment', 'provisionhub-worker');
      ({
        config,
        rootConfig,
        file: configFile,
      } = await readPodWorkerConfig(objects, worker));
    });

    it('builds with kubectl kustomize, and every object validates against its schema', () => {
      expect(objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual(
        expect.arrayContaining([
          'Deployment/provisionhub-worker',
          'Deployment/provisionhub-backend',
          'Service/provisionhub-worker',
          'Service/provisionhub-backend',
          'PodDisruptionBudget/provisionhub-worker',
          'ScaledObject/provisionhub-worker',
          'TriggerAuthentication/provisionhub-worker-rabbitmq',
          'ServiceMonitor/provisionhub-worker',
          'NetworkPolicy/provisionhub-worker',
          'ServiceMonitor/provisionhub-backend',
          'PrometheusRule/provisionhub-backend',
        ]),
      );
      const problems = objects.flatMap(object => {
        try {
          validateObject(object);
          return [];
        } catch (error) {
          return [(error as Error).message];
        }
      });
      expect(problems).toEqual([]);
      const namespaces = new Set(objects.map(o => o.metadata.namespace));
      expect(namespaces.size).toBe(1);
      expect([...namespaces][0]).toMatch(/^provisionhub/);
    });

    it('holds no secret: secrets come from Secret references only', () => {
      expect(objects.filter(o => o.kind === 'Secret')).toEqual([]);
      const literal = containersOf(objects)
        .flatMap(container => container.env ?? [])
        .filter(
          (variable: Any) =>
            SECRET_NAME.test(variable.name) &&
            !variable.valueFrom?.secretKeyRef?.name,
        );
      expect(literal).toEqual([]);
      const fromSecrets = containersOf(objects)
        .flatMap(container => container.env ?? [])
        .filter((variable: Any) => variable.valueFrom?.secretKeyRef)
        .map((variable: Any) => variable.name);
      expect(fromSecrets).toEqual(['PROVISIONHUB_AMQP_URL', 'GITLAB_TOKEN']);
      for (const map of objects.filter(o => o.kind === 'ConfigMap') as Any[]) {
        for (const [key, value] of Object.entries<string>(map.data)) {
          expect({ key, secret: SECRET_NAME.test(key) }).toEqual({
            key,
            secret: false,
          });
          // No credentials in URLs and no token literals.
          expect(value).not.toMatch(/\w+:\/\/[^/\s:@]+:[^@\s/]+@/);
          expect(value).not.toMatch(/glpat-/);
        }
      }
    });

    it('builds the Git provider the app-config names from the worker modules it lists', async () => {
      expect(config.git).toMatchObject({ provider: 'module', name: 'gitlab' });
      const registry = await WorkerRegistry.create(
        loadWorkerModules(config.worker.modules),
        rootConfig,
      );
      const silent: Any = { info() {}, warn() {}, error() {}, debug() {} };
      silent.child = () => silent;
      const provider = await registry.createGitProvider('gitlab', {
        git: config.git,
        logger: silent,
        secrets: config.secrets,
      });
      expect(provider.type).toBe('gitlab');
    });

    it('gives the worker time to drain: terminationGracePeriodSeconds covers shutdownTimeoutMs, the abort grace and a margin', () => {
      const { terminationGracePeriodSeconds } = worker.spec.template.spec;
      expect(terminationGracePeriodSeconds).toBeGreaterThanOrEqual(
        (config.worker.shutdownTimeoutMs + ABORT_GRACE_MS) / 1000 +
          CLOSE_MARGIN_SECONDS,
      );
    });

    it('probes /livez for liveness and /readyz for readiness on the worker port', () => {
      const [container] = worker.spec.template.spec.containers;
      const port = container.ports.find((p: Any) => p.name === 'http');
      expect(port.containerPort).toBe(config.worker.port);
      expect(container.livenessProbe.httpGet).toEqual({
        path: '/livez',
        port: 'http',
      });
      expect(container.readinessProbe.httpGet).toEqual({
        path: '/readyz',
        port: 'http',
      });
      expect(container.startupProbe.httpGet.path).toBe('/livez');
    });

    it('runs the worker non-root on a read-only root file system with every capability dropped', () => {
      const pod = worker.spec.template.spec;
      const [container] = pod.containers;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      expect(container.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(pod.automountServiceAccountToken).toBe(false);
      // The only writable place, the per-run workspaces, is an emptyDir.
      const writable = container.volumeMounts.find((m: Any) =>
        `${config.worker.workspaceDir}/`.startsWith(`${m.mountPath}/`),
      );
      expect(writable.readOnly).toBeFalsy();
      expect(
        pod.volumes.find((v: Any) => v.name === writable.name).emptyDir,
      ).toBeDefined();
      expect(configFile).toBe('/app/config/app-config.yaml');
    });

    it('sets resource requests and limits on every container', () => {
      for (const container of containersOf(objects)) {
        expect(Object.keys(container.resources.requests).sort()).toEqual([
          'cpu',
          'memory',
        ]);
        expect(container.resources.limits.memory).toBeDefined();
      }
    });

    it('scales the worker with KEDA on the jobs queue, one replica per `concurrency` jobs, within the documented bounds', () => {
      const scaled = findObject(
        objects,
        'ScaledObject',
        'provisionhub-worker',
      ) as Any;
      expect(worker.spec.replicas).toBeUndefined();
      expect(scaled.spec.scaleTargetRef.name).toBe(worker.metadata.name);
      expect(scaled.spec.minReplicaCount).toBe(REPLICAS[overlay].min);
      expect(scaled.spec.maxReplicaCount).toBe(REPLICAS[overlay].max);
      expect(scaled.spec.triggers).toEqual([
        {
          type: 'rabbitmq',
          metadata: {
            protocol: 'http',
            mode: 'QueueLength',
            queueName: `${config.amqp.prefix}.jobs`,
            value: String(config.worker.concurrency),
          },
          authenticationRef: { name: 'provisionhub-worker-rabbitmq' },
        },
      ]);
      const auth = findObject(
        objects,
        'TriggerAuthentication',
        'provisionhub-worker-rabbitmq',
      ) as Any;
      expect(auth.spec.secretTargetRef).toEqual([
        {
          parameter: 'host',
          name: 'provisionhub-worker',
          key: 'rabbitmq-management-url',
        },
      ]);
    });

    it('selects the worker pods from its PodDisruptionBudget, Service, ServiceMonitor and NetworkPolicy', () => {
      const labels = worker.spec.template.metadata.labels;
      const pdb = findObject(
        objects,
        'PodDisruptionBudget',
        'provisionhub-worker',
      ) as Any;
      expect(selects(pdb.spec.selector.matchLabels, labels)).toBe(true);
      expect(pdb.spec.maxUnavailable).toBe(1);

      const service = findObject(
        objects,
        'Service',
        'provisionhub-worker',
      ) as Any;
      expect(selects(service.spec.selector, labels)).toBe(true);
      const monitor = findObject(
        objects,
        'ServiceMonitor',
        'provisionhub-worker',
      ) as Any;
      expect(
        selects(monitor.spec.selector.matchLabels, service.metadata.labels),
      ).toBe(true);
      expect(monitor.spec.endpoints).toEqual([
        expect.objectContaining({ port: 'http', path: '/metrics' }),
      ]);
      expect(service.spec.ports.map((p: Any) => p.name)).toContain('http');

      const policy = findObject(
        objects,
        'NetworkPolicy',
        'provisionhub-worker',
      ) as Any;
      expect(selects(policy.spec.podSelector.matchLabels, labels)).toBe(true);
      expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      // In: the HTTP port (metrics, probes) only.
      expect(policy.spec.ingress).toEqual([
        { ports: [{ port: config.worker.port, protocol: 'TCP' }] },
      ]);
      // Out: DNS, RabbitMQ, the Git host.
      const egress = policy.spec.egress.flatMap((rule: Any) =>
        rule.ports.map((p: Any) => `${p.protocol}/${p.port}`),
      );
      expect(egress.sort()).toEqual(
        [
          'UDP/53',
          'TCP/53',
          'TCP/5672',
          'TCP/5671',
          'TCP/443',
          'TCP/22',
        ].sort(),
      );
    });

    it("scrapes the backend's metrics port and alerts only on metrics the control plane documents", () => {
      const backend = findObject(
        objects,
        'Deployment',
        'provisionhub-backend',
      ) as Any;
      const [container] = backend.spec.template.spec.containers;
      expect(container.ports).toContainEqual({
        name: 'metrics',
        containerPort: 9464,
        protocol: 'TCP',
      });
      const service = findObject(
        objects,
        'Service',
        'provisionhub-backend',
      ) as Any;
      expect(service.spec.ports).toContainEqual(
        expect.objectContaining({ name: 'metrics', targetPort: 'metrics' }),
      );
      const monitor = findObject(
        objects,
        'ServiceMonitor',
        'provisionhub-backend',
      ) as Any;
      expect(
        selects(monitor.spec.selector.matchLabels, service.metadata.labels),
      ).toBe(true);
      expect(monitor.spec.endpoints).toEqual([
        expect.objectContaining({ port: 'metrics', path: '/metrics' }),
      ]);

      const readme = fs.readFileSync(
        path.resolve(ROOT, '../../plugins/provisionhub-backend/README.md'),
        'utf8',
      );
      const documented = new Set(
        [...readme.matchAll(/^\| `(provisionhub_\w+)` +\|/gm)].map(m => m[1]),
      );
      const rules = (
        findObject(objects, 'PrometheusRule', 'provisionhub-backend') as Any
      ).spec.groups.flatMap((group: Any) => group.rules);
      expect(rules.length).toBeGreaterThan(0);
      for (const rule of rules) {
        expect(rule).toMatchObject({
          alert: expect.stringMatching(/^ProvisionHub/),
          for: expect.any(String),
          labels: { severity: expect.any(String) },
          annotations: { summary: expect.any(String) },
        });
        const used = [...String(rule.expr).matchAll(/provisionhub_\w+/g)].map(
          m => m[0].replace(/_(bucket|count|sum)$/, ''),
        );
        expect(used.length).toBeGreaterThan(0);
        expect(used.filter(name => !documented.has(name))).toEqual([]);
      }
    });

    it("runs the portal backend with Backstage's health probes", () => {
      const backend = findObject(
        objects,
        'Deployment',
        'provisionhub-backend',
      ) as Any;
      const [container] = backend.spec.template.spec.containers;
      expect(container.livenessProbe.httpGet.path).toBe(
        '/.backstage/health/v1/liveness',
      );
      expect(container.readinessProbe.httpGet.path).toBe(
        '/.backstage/health/v1/readiness',
      );
      expect(container.envFrom).toContainEqual({
        secretRef: { name: 'provisionhub-backend' },
      });
      expect(container.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      });
      const service = findObject(
        objects,
        'Service',
        'provisionhub-backend',
      ) as Any;
      expect(
        selects(service.spec.selector, backend.spec.template.metadata.labels),
      ).toBe(true);
    });
  });
});
