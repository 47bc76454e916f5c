import fs from 'node:fs/promises';
import path from 'node:path';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import type { ResolvedFileSource } from '@provisionhub/plugin-provisionhub-common';
import { BlueprintFile, compareByPath } from './BlueprintFile';
import { checkRealFolderWithin } from './confinement';
import { fileLocationToPath } from './resolveFileSources';

/** @public */
export interface ReadBlueprintFilesOptions {
  /** Needed for URL sources; `file:` sources are read from the local disk. */
  urlReader?: Pick<UrlReaderService, 'readTree'>;
  maxFiles?: number;
  maxBytes?: number;
  /**
   * Resolved `file:` folders the sources must really be inside, symbolic links followed (the
   * blueprint's folder and the shared folders). Unchecked when absent.
   */
  within?: readonly string[];
}

/**
 * Reads every file of a blueprint's sources into one tree. Refuses symbolic links, paths that
 * leave their folder, two sources writing the same path, and trees over the size limits.
 * @public
 */
export async function readBlueprintFiles(
  sources: readonly ResolvedFileSource[],
  options: ReadBlueprintFilesOptions = {},
): Promise<BlueprintFile[]> {
  const maxFiles = options.maxFiles ?? 2000;
  const maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
  const byPath = new Map<string, BlueprintFile>();
  let bytes = 0;
  for (const source of sources) {
    let files: BlueprintFile[];
    if (source.location.startsWith('file:')) {
      const folder = fileLocationToPath(source.location);
      if (options.within) {
        await checkRealFolderWithin(folder, options.within);
      }
      files = await readFolder(folder);
    } else {
      files = await readUrlTree(source.location, options.urlReader);
    }
    for (const file of files) {
      const target = path.posix.join(source.target || '.', file.path);
      if (target.startsWith('../') || path.posix.isAbsolute(target)) {
        throw new Error(
          `blueprint file '${file.path}' would be written outside the repository`,
        );
      }
      if (byPath.has(target)) {
        throw new Error(
          `two blueprint sources write '${target}'; give one of them a different 'to' folder`,
        );
      }
      bytes += file.content.length;
      if (byPath.size + 1 > maxFiles || bytes > maxBytes) {
        throw new Error(
          `blueprint is too large: over ${maxFiles} files or ${maxBytes} bytes`,
        );
      }
      byPath.set(target, { ...file, path: target });
    }
  }
  return [...byPath.values()].sort(compareByPath);
}

async function readFolder(root: string): Promise<BlueprintFile[]> {
  const out: BlueprintFile[] = [];
  async function walk(dir: string) {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (e) {
      throw new Error(
        `cannot read blueprint folder ${dir}: ${(e as Error).message}`,
      );
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (entry.isSymbolicLink()) {
        throw new Error(
          `blueprint file '${rel}' is a symbolic link; blueprints may only contain regular files`,
        );
      }
      if (entry.isDirectory()) {
        if (entry.name !== '.git') {
          await walk(full);
        }
      } else if (entry.isFile()) {
        const [content, stat] = await Promise.all([
          fs.readFile(full),
          fs.stat(full),
        ]);
        out.push({ path: rel, content, executable: (stat.mode & 0o111) !== 0 });
      }
    }
  }
  await walk(root);
  return out;
}

async function readUrlTree(
  url: string,
  urlReader: ReadBlueprintFilesOptions['urlReader'],
): Promise<BlueprintFile[]> {
  if (!urlReader) {
    throw new Error(
      `cannot read blueprint files from ${url}: no URL reader is configured`,
    );
  }
  const tree = await urlReader.readTree(url);
  const files = await tree.files();
  return Promise.all(
    files.map(async f => ({
      path: f.path,
      content: await f.content(),
      executable: false,
    })),
  );
}
