// Applies docs/install.md to a fresh create-app portal, with the lines the guide shows: the code
// blocks of its sections 1 (packages), 2 (backend), 3 (permission policy), 5 (starter set and
// catalog location) and 6 (configuration, .gitignore), plus the trial guest of section 9.
// A block of those sections that it does not know how to apply fails the run, so the guide and
// this script cannot drift apart silently.
//
// The packages are not on a registry: every @provisionhub package resolves to its pack through the
// portal's root `resolutions`, and the guide's `yarn add @provisionhub/x` asks for the packed
// version (`@provisionhub/x@0.1.0`); nothing else of a line changes.
//
// Usage: node apply-guide.mjs <portal> <packs folder> <yarn command>
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

const root = path.resolve(import.meta.dirname, '../..');
const [portal, packs] = process.argv.slice(2, 4).map(arg => path.resolve(arg));
const yarnCommand = process.argv[4];
/** Section 5: "in a fresh create-app portal, `group:default/guests`" (its example group). */
const STARTER_OWNER = 'group:default/guests';
/** Section 9: the trial guest, a member of STARTER_OWNER in create-app's examples/org.yaml. */
const TRIAL_GUEST = 'user:default/guest';
const APPLIED_SECTIONS = ['1', '2', '3', '5', '6'];

function fail(message) {
  process.stderr.write(`[guide] ${message}\n`);
  process.exit(1);
}

const portalFile = file => path.join(portal, file);
const read = file => fs.readFileSync(portalFile(file), 'utf8');
const write = (file, text) => fs.writeFileSync(portalFile(file), text);
const log = message => process.stdout.write(`[guide] ${message}\n`);

/** The fenced code blocks of docs/install.md, by section number ("## 3. …" → '3'). */
function guideBlocks() {
  const guide = fs.readFileSync(path.join(root, 'docs/install.md'), 'utf8');
  const blocks = [];
  let section;
  let block;
  for (const line of guide.split('\n')) {
    const heading = line.match(/^## (\d+)\./);
    if (heading) section = heading[1];
    const fence = line.match(/^\s*```(\S*)$/);
    if (fence && !block) {
      block = { section, lang: fence[1], indent: line.indexOf('`'), lines: [] };
    } else if (fence && block) {
      blocks.push({ ...block, text: block.lines.join('\n') + '\n' });
      block = undefined;
    } else if (block) {
      block.lines.push(line.slice(block.indent));
    }
  }
  return blocks;
}

/** @provisionhub package name → pack file, from the packs' own package.json. */
function packsByName() {
  const byName = new Map();
  for (const file of fs.readdirSync(packs).filter(f => f.endsWith('.tgz'))) {
    const manifest = JSON.parse(
      execFileSync(
        'tar',
        ['xzfO', path.join(packs, file), 'package/package.json'],
        {
          encoding: 'utf8',
        },
      ),
    );
    byName.set(manifest.name, { file: path.join(packs, file), ...manifest });
  }
  return byName;
}

function useThePacks(byName) {
  const manifest = JSON.parse(read('package.json'));
  manifest.resolutions = manifest.resolutions ?? {};
  for (const [name, { file }] of byName) {
    manifest.resolutions[name] = `file:${file}`;
  }
  write('package.json', `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Shell lines of a bash block, continuation lines joined and comments left out. */
function commands(text) {
  return text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map(line => line.replace(/\s+#.*$/, '').trim())
    .filter(line => line && !line.startsWith('#'));
}

function yarn(args) {
  log(`yarn ${args.join(' ')}`);
  const started = Date.now();
  try {
    execFileSync(yarnCommand, args, {
      cwd: portal,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      env: { ...process.env, YARN_ENABLE_PROGRESS_BARS: '0' },
    });
  } catch (error) {
    fail(
      `yarn ${args.join(' ')} failed (${error.message}):\n${String(error.stdout)
        .split('\n')
        .filter(l => /YN0001|YN0009|YN0035|YN0082|Error|error/.test(l))
        .slice(-30)
        .join('\n')}\n${error.stderr}`,
    );
  }
  log(`  done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

// Each `yarn add` only updates package.json and yarn.lock (--mode=update-lockfile); one install
// follows before the next command that needs node_modules: one link step instead of four.
let installPending = false;
function installIfPending() {
  if (installPending) yarn(['install']);
  installPending = false;
}

function applyBash(block, byName) {
  for (const line of commands(block.text)) {
    if (!/^yarn /.test(line))
      fail(`section ${block.section}: unknown command ${line}`);
    const args = line.split(/\s+/).slice(1);
    if (args.includes('add')) {
      const packed = args.map(arg =>
        byName.has(arg) ? `${arg}@${byName.get(arg).version}` : arg,
      );
      yarn([...packed, '--mode=update-lockfile']);
      installPending = true;
    } else {
      installIfPending();
      const ownerAt = args.indexOf('--owner');
      if (ownerAt >= 0) args[ownerAt + 1] = STARTER_OWNER;
      yarn(args);
    }
  }
}

/** A `// packages/…` TypeScript block: the backend's lines, or a new file. */
function applyTypeScript(block) {
  const [first, ...rest] = block.text.split('\n');
  const file = first.match(/^\/\/ (packages\/\S+)$/)?.[1];
  const body = rest.join('\n');
  if (file === 'packages/backend/src/index.ts') {
    const allowAll =
      /backend\.add\(\s*import\('@backstage\/plugin-permission-backend-module-allow-all-policy'\),?\s*\);\n/;
    let index = read(file);
    if (!allowAll.test(index))
      fail(`${file} has no allow-all policy line to remove`);
    index = index.replace(allowAll, '');
    if (!index.includes('backend.start();'))
      fail(`${file} has no backend.start()`);
    write(file, index.replace('backend.start();', `${body}\nbackend.start();`));
    log(`${file}: the guide's lines added, the allow-all policy removed`);
  } else if (file && !fs.existsSync(portalFile(file))) {
    write(file, body);
    log(`${file}: created`);
  } else {
    fail(
      `section ${block.section}: do not know how to apply the block for ${file}`,
    );
  }
}

/** Adds `addition` to a YAML document: new keys set, maps merged, lists appended to. */
function mergeYaml(doc, addition, at = []) {
  for (const [key, value] of Object.entries(addition)) {
    const where = [...at, key];
    const current = doc.getIn(where, true);
    if (current === undefined || current === null || current.value === null) {
      doc.setIn(where, doc.createNode(value));
    } else if (Array.isArray(value) && YAML.isSeq(current)) {
      value.forEach(item => current.add(doc.createNode(item)));
    } else if (value && typeof value === 'object' && YAML.isMap(current)) {
      mergeYaml(doc, value, where);
    } else {
      fail(
        `app-config.yaml already has ${where.join('.')}; the guide sets it too`,
      );
    }
  }
}

function applyAppConfig(additions) {
  const doc = YAML.parseDocument(read('app-config.yaml'));
  for (const addition of additions) mergeYaml(doc, addition);
  write('app-config.yaml', doc.toString());
  log(
    `app-config.yaml: ${additions
      .map(a => Object.keys(a).join(', '))
      .join('; ')} added`,
  );
}

const blocks = guideBlocks().filter(b => APPLIED_SECTIONS.includes(b.section));
const byName = packsByName();
useThePacks(byName);
const configAdditions = [];
for (const block of blocks) {
  if (block.lang === 'bash') applyBash(block, byName);
  else if (block.lang === 'ts' || block.lang === 'tsx') applyTypeScript(block);
  else if (block.lang === 'yaml') configAdditions.push(YAML.parse(block.text));
  else if (block.lang === 'gitignore') {
    fs.appendFileSync(portalFile('.gitignore'), `\n${block.text}`);
    log(".gitignore: the guide's lines added");
  } else
    fail(
      `section ${block.section}: do not know how to apply a ${block.lang} block`,
    );
}
installIfPending();
configAdditions.push({
  auth: { providers: { guest: { userEntityRef: TRIAL_GUEST } } },
});
applyAppConfig(configAdditions);
