import { BlueprintFile, compareByPath } from '../blueprints/BlueprintFile';
import { computeBlueprintDigest } from '../blueprints/computeBlueprintDigest';
import { BlueprintDigestMismatchError } from './BlueprintDigestMismatchError';
import { BlueprintRenderError } from './BlueprintRenderError';
import { checkNoCollisions, checkRenderedPath } from './renderedPath';
import { plannedTemplates, renderPlanFor } from './renderPlan';
import { DEFAULT_RENDER_LIMITS } from './RenderSandbox';
import { renderTemplates } from './renderTemplates';
import type {
  BlueprintRenderContext,
  RenderBlueprintOptions,
  RenderedFile,
} from './types';

/**
 * Renders a blueprint in the render sandbox (a separate process without credentials, with a time
 * and an output limit): file contents and file and folder names go through hardened nunjucks
 * with Backstage's `${{ }}` syntax; binary files are copied untouched (their names are still
 * rendered); executable bits are kept. The result is sorted by path and depends only on the
 * files and the context, so the same input always gives byte-identical output.
 *
 * @throws BlueprintRenderError naming the file (and line) for an undefined variable, a syntax
 * error, a refused expression, a time or output limit, or a rendered path that is empty,
 * absolute, contains `..` or would clash with another.
 * @throws BlueprintDigestMismatchError when `options.digest` is not the digest of `files`
 * @public
 */
export async function renderBlueprint(
  files: readonly BlueprintFile[],
  context: BlueprintRenderContext,
  options: RenderBlueprintOptions = {},
): Promise<RenderedFile[]> {
  const digest = computeBlueprintDigest(files);
  if (options.digest && options.digest !== digest) {
    throw new BlueprintDigestMismatchError(options.digest, digest);
  }
  const sorted = [...files].sort(compareByPath);
  const plan = renderPlanFor(digest, sorted);
  const outputs = await renderTemplates(
    digest,
    plannedTemplates(plan, sorted),
    context,
    options.limits,
  );
  const maxOutputBytes =
    options.limits?.maxOutputBytes ?? DEFAULT_RENDER_LIMITS.maxOutputBytes;
  let bytes = 0;
  const rendered = plan.files.map((planned, index): RenderedFile => {
    const file = sorted[index];
    const path =
      planned.pathTemplate === undefined
        ? file.path
        : outputs[planned.pathTemplate];
    checkRenderedPath(path, file.path);
    const content =
      planned.contentTemplate === undefined
        ? file.content
        : Buffer.from(outputs[planned.contentTemplate], 'utf8');
    bytes += content.length;
    if (bytes > maxOutputBytes) {
      throw new BlueprintRenderError(
        `${file.path}: the rendered output is larger than the limit of ${maxOutputBytes} bytes`,
        file.path,
      );
    }
    return {
      path,
      sourcePath: file.path,
      content,
      executable: file.executable,
      binary: planned.binary,
    };
  });

  checkNoCollisions(rendered);
  return rendered.sort(compareByPath);
}
