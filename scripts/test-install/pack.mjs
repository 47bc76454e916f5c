// Builds and packs every published package of the repository into <out> (one .tgz each, named
// after the package), the way they are published: `backstage-cli package build`, then `yarn pack`
// (whose prepack/postpack scripts swap in publishConfig). Then checks each pack: every entry point
// its package.json names is in the pack, none points at source, no `workspace:` range is left.
// Prints one line per pack; exits non-zero on the first problem.
//
// With a cache folder, a pack is reused while the package's files (tracked and untracked, not
// ignored), yarn.lock and the workspaces' versions are unchanged; building takes most of the time.
//
// Usage: node pack.mjs <out> [<cache folder>]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const out = path.resolve(process.argv[2] ?? 'packs');
const cache = process.argv[3] && path.resolve(process.argv[3]);
const yarn = path.join(root, 'scripts/yarn');
const cli = path.join(root, 'node_modules/.bin/backstage-cli');

function fail(message) {
  process.stderr.write(`[pack] ${message}\n`);
  process.exit(1);
}

function run(command, args, cwd) {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    fail(
      `${path.basename(command)} ${args.join(' ')} failed in ${path.relative(
        root,
        cwd,
      )}:\n${error.stdout}${error.stderr}`,
    );
  }
  return '';
}

/** The repository's workspaces that are published (not private). */
function publishedWorkspaces() {
  return run(yarn, ['workspaces', 'list', '--json'], root)
    .trim()
    .split('\n')
    .map(line => JSON.parse(line).location)
    .filter(location => location !== '.')
    .map(location => ({
      dir: path.join(root, location),
      manifest: JSON.parse(
        fs.readFileSync(path.join(root, location, 'package.json'), 'utf8'),
      ),
    }))
    .filter(({ manifest }) => !manifest.private);
}

/** Every file path a package.json makes importable or runnable. */
function entryPoints(manifest) {
  const targets = [manifest.main, manifest.module, manifest.types];
  // The `backstage` export condition names a feature type, not a file.
  const collect = value => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object')
      Object.entries(value)
        .filter(([key]) => key !== 'backstage')
        .forEach(([, v]) => collect(v));
  };
  collect(manifest.exports);
  collect(manifest.bin);
  collect(manifest.typesVersions);
  return targets
    .filter(target => typeof target === 'string' && !target.includes('*'))
    .map(target => path.posix.normalize(target));
}

function checkPack(file) {
  const listing = run('tar', ['tzf', file], out)
    .trim()
    .split('\n')
    .map(entry => entry.replace(/^package\//, ''));
  const manifest = JSON.parse(
    run('tar', ['xzfO', file, 'package/package.json'], out),
  );
  const problems = [];
  for (const target of entryPoints(manifest)) {
    if (target === 'package.json') continue;
    if (/^src\//.test(target) || /\.tsx?$/.test(target.replace(/\.d\.ts$/, '')))
      problems.push(`entry point ${target} is source, not a build output`);
    if (!listing.includes(target))
      problems.push(`entry point ${target} is not in the pack`);
  }
  for (const field of [
    'dependencies',
    'peerDependencies',
    'optionalDependencies',
  ]) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (String(range).startsWith('workspace:'))
        problems.push(`${field}.${name} is still ${range}`);
    }
  }
  if (problems.length)
    fail(`${path.basename(file)}:\n  ${problems.join('\n  ')}`);
  return listing.length;
}

let typeChecked = false;
/** `backstage-cli package build` bundles declarations from the repository's dist-types. */
function typeCheckOnce() {
  if (typeChecked) return;
  run(yarn, ['tsc'], root);
  typeChecked = true;
}

/** What a pack is made from: the package's files, yarn.lock and every workspace's version. */
function sourceKey(dir, workspaces) {
  const hash = createHash('sha256');
  const files = run(
    'git',
    ['ls-files', '-co', '--exclude-standard', '-z', '.'],
    dir,
  )
    .split('\0')
    .filter(Boolean)
    .sort();
  for (const file of [
    ...files.map(f => path.join(dir, f)),
    path.join(root, 'yarn.lock'),
  ]) {
    if (!fs.existsSync(file)) continue;
    hash.update(`${path.relative(root, file)}\0`).update(fs.readFileSync(file));
  }
  for (const { manifest } of workspaces)
    hash.update(`${manifest.name}@${manifest.version}\0`);
  return hash.digest('hex').slice(0, 16);
}

fs.mkdirSync(out, { recursive: true });
const workspaces = publishedWorkspaces();
for (const { dir, manifest } of workspaces) {
  const started = Date.now();
  const base = manifest.name.replace(/^@/, '').replace('/', '-');
  const file = path.join(out, `${base}.tgz`);
  const cached =
    cache && path.join(cache, `${base}-${sourceKey(dir, workspaces)}.tgz`);
  let how = 'built';
  if (cached && fs.existsSync(cached)) {
    fs.copyFileSync(cached, file);
    how = 'unchanged, from the cache';
  } else {
    if (manifest.scripts?.build) {
      typeCheckOnce();
      run(cli, ['package', 'build'], dir);
    }
    run(yarn, ['pack', '--out', file], dir);
  }
  const files = checkPack(file);
  if (cached && how === 'built') {
    fs.mkdirSync(cache, { recursive: true });
    const previous = new RegExp(`^${base}-[0-9a-f]{16}\\.tgz$`);
    for (const old of fs.readdirSync(cache).filter(f => previous.test(f)))
      fs.rmSync(path.join(cache, old));
    fs.copyFileSync(file, cached);
  }
  process.stdout.write(
    `[pack] ${manifest.name}@${manifest.version}: ${files} files, ${how} (${(
      (Date.now() - started) /
      1000
    ).toFixed(0)} s)\n`,
  );
}
