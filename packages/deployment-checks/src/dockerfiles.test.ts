import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { DockerStage, lintDockerfile, parseDockerfile } from './dockerfile';

const ROOT = path.resolve(__dirname, '../../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** Node 20 on Debian bookworm: its git is 2.39, above the 2.31 the worker needs. */
const BASE_IMAGE = 'node:20-bookworm-slim';

const DOCKERFILES = {
  worker: 'packages/worker/Dockerfile',
  backend: 'packages/backend/Dockerfile',
};

/** The stages an image is built on, its base image's first, ending with `stage`. */
const lineage = (stages: DockerStage[], stage: DockerStage): DockerStage[] => {
  const parent = stages.find(s => s.name === stage.from);
  return parent ? [...lineage(stages, parent), stage] : [stage];
};

const runs = (stage: DockerStage) =>
  stage.instructions.filter(i => i.keyword === 'RUN').map(i => i.args);

/** The JSON-array form of ENTRYPOINT or CMD. */
const execForm = (stage: DockerStage, keyword: 'ENTRYPOINT' | 'CMD') => {
  const found = stage.instructions.filter(i => i.keyword === keyword);
  expect(found).toHaveLength(1);
  return JSON.parse(found[0].args) as string[];
};

describe.each(Object.entries(DOCKERFILES))('the %s Dockerfile', (_, file) => {
  const content = read(file);
  const stages = parseDockerfile(content);
  const final = stages[stages.length - 1];
  /** What the final image is made of, base stages included. */
  const image = lineage(stages, final);
  const imageInstructions = image.flatMap(s => s.instructions);

  it('passes the Dockerfile linter', () => {
    expect(lintDockerfile(content)).toEqual([]);
  });

  it('builds in stages from Node 20 slim, installing from the lockfile with the repository yarn', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const names = new Set(stages.map(s => s.name).filter(Boolean));
    for (const stage of stages) {
      expect(names.has(stage.from) || stage.from === BASE_IMAGE).toBe(true);
    }
    expect(image[0].from).toBe(BASE_IMAGE);
    expect(stages.flatMap(runs).join('\n')).toMatch(/yarn install --immutable/);
    expect(image.flatMap(runs).join('\n')).toMatch(
      /yarn workspaces focus --all --production/,
    );
    expect(content).toMatch(/COPY .*\.yarn\/releases/);
  });

  it('runs as the non-root node user, with no HEALTHCHECK (Kubernetes probes instead)', () => {
    const users = imageInstructions.filter(i => i.keyword === 'USER');
    expect(users.map(u => u.args.trim())).toEqual(['node']);
    const start = imageInstructions.findIndex(
      i => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT',
    );
    expect(imageInstructions.indexOf(users[0])).toBeLessThan(start);
    expect(
      stages
        .flatMap(s => s.instructions)
        .filter(i => i.keyword === 'HEALTHCHECK'),
    ).toEqual([]);
  });

  it('bakes in no secret', () => {
    const instructions = stages.flatMap(s => s.instructions);
    for (const i of instructions.filter(
      x => x.keyword === 'ENV' || x.keyword === 'ARG',
    )) {
      expect(i.args).not.toMatch(/PASSWORD|TOKEN|SECRET|CREDENTIAL|AMQP_URL/i);
    }
    for (const i of instructions.filter(
      x => x.keyword === 'COPY' || x.keyword === 'ADD',
    )) {
      expect(i.args).not.toMatch(/\.env\b|\.local\.yaml|credentials/);
    }
    for (const i of instructions) {
      expect(i.args).not.toMatch(/\w+:\/\/[^$\s/]*:[^$\s/]*@/);
    }
  });

  it('copies only files that exist in the repository', () => {
    const sources = stages
      .flatMap(s => s.instructions)
      .filter(
        i => i.keyword === 'COPY' && !i.flags.some(f => f.startsWith('from=')),
      )
      .flatMap(i => i.args.trim().split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    const missing = sources.filter(
      source => source !== '.' && !fs.existsSync(path.join(ROOT, source)),
    );
    expect(missing).toEqual([]);
  });
});

describe('the worker image', () => {
  const stages = parseDockerfile(read(DOCKERFILES.worker));
  const final = stages[stages.length - 1];

  it('has git, and tini as PID 1 in front of the provisionhub-worker program', () => {
    expect(runs(final).join('\n')).toMatch(
      /apt-get install -y --no-install-recommends .*\bgit\b.*\btini\b/,
    );
    const entrypoint = execForm(final, 'ENTRYPOINT');
    expect(entrypoint.slice(0, 3)).toEqual(['/usr/bin/tini', '--', 'node']);
    expect(fs.existsSync(path.join(ROOT, entrypoint[3]))).toBe(true);
    expect(entrypoint[3]).toBe('packages/worker/bin/provisionhub-worker');
  });

  it('reads the app-config the Kubernetes manifests mount', () => {
    expect(execForm(final, 'CMD')).toEqual([
      '--config',
      '/app/config/app-config.yaml',
    ]);
    expect(
      final.instructions.filter(i => i.keyword === 'EXPOSE').map(i => i.args),
    ).toEqual(['7008']);
  });

  it('packs the worker with its published package.json (built dist/, not sources), with every module the Kubernetes app-config loads', () => {
    const build = runs(stages[stages.length - 2])
      .join('\n')
      .replace(/\\\n\s*/g, '');
    const packed = build
      .match(/backstage-cli build-workspace dist-workspace ([^&\n]+)/)?.[1]
      .trim()
      .split(/\s+/);
    expect(packed?.[0]).toBe('@provisionhub/worker');
    const { provisionhub } = yaml.parse(
      read('deployments/kubernetes/base/worker/app-config.yaml'),
    );
    expect(provisionhub.worker.modules).toContain(
      '@provisionhub/worker-module-gitlab',
    );
    expect(packed).toEqual(expect.arrayContaining(provisionhub.worker.modules));
  });
});

describe('the backend image', () => {
  const stages = parseDockerfile(read(DOCKERFILES.backend));
  const final = stages[stages.length - 1];

  it('starts the backend bundle with the production config and the metrics exporter', () => {
    expect(execForm(final, 'CMD')).toEqual([
      'node',
      '--require',
      './instrumentation.js',
      'packages/backend',
      '--config',
      'app-config.yaml',
      '--config',
      'app-config.production.yaml',
    ]);
  });
});

describe('lintDockerfile', () => {
  it('reports each problem with its line', () => {
    expect(lintDockerfile('FROM node:20\nEXPOSE 7008/sctpx\nUSER\n')).toEqual([
      'line 2: Invalid proto: sctpx',
      'line 3: Instruction has no arguments',
    ]);
  });
});

describe('the build context (.dockerignore)', () => {
  const ignored = read('.dockerignore')
    .split('\n')
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('#'));

  it('leaves out installs, build output, git history and files that may hold secrets', () => {
    expect(ignored).toEqual(
      expect.arrayContaining([
        '.git',
        '**/node_modules',
        '.yarn/cache',
        '**/dist',
        '**/*.local.yaml',
        '**/.env',
      ]),
    );
  });
});
