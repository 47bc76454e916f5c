import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a file's path says it comes from: a package, or this repository's own code. */
function origin(url: string): string {
  const file = url.replace(/^file:\/\//, '');
  const pkg = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) {
    return pkg[1];
  }
  const own = file.match(/\/(plugins|packages)\/([^/]+)\//);
  if (own) {
    return `${own[1]}/${own[2]}`;
  }
  return file ? path.basename(file) : '(node)';
}

/**
 * The share of sampled CPU time (self time) per package and per function, over every
 * `.cpuprofile` in `dir`: the profile's answer to "where does the time go".
 */
export function summarizeCpuProfiles(dir: string, top: number): string[] {
  const byOrigin = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const file of fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(
      fs.readFileSync(path.join(dir, file), 'utf8'),
    ) as CpuProfile;
    const nodes = new Map(profile.nodes.map(node => [node.id, node]));
    for (const [i, id] of profile.samples.entries()) {
      const node = nodes.get(id);
      const micros = profile.timeDeltas[i] ?? 0;
      if (
        !node ||
        ['(idle)', '(program)'].includes(node.callFrame.functionName)
      ) {
        continue;
      }
      total += micros;
      const { functionName, url, lineNumber } = node.callFrame;
      const where = origin(url);
      byOrigin.set(where, (byOrigin.get(where) ?? 0) + micros);
      const name = `${functionName || '(anonymous)'} ${where}:${
        lineNumber + 1
      }`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
    }
  }
  const lines = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([name, micros]) =>
          `${((micros / Math.max(1, total)) * 100)
            .toFixed(1)
            .padStart(5)}%  ${name}`,
      );
  return [
    `busy ${(total / 1000).toFixed(0)} ms sampled; by package:`,
    ...lines(byOrigin),
    'by function:',
    ...lines(byFunction),
  ];
}
