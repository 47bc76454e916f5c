import { isBinaryFileSync } from 'isbinaryfile';
import { BlueprintFile, compareByPath } from '../blueprints/BlueprintFile';
import { templatesFor } from './compiledTemplateCache';
import { checkNoCollisions, checkRenderedPath } from './renderedPath';
import {
  compileTemplate,
  hasTemplateSyntax,
  renderTemplate,
} from './templateEngine';
import type {
  BlueprintRenderContext,
  RenderBlueprintOptions,
  RenderedFile,
} from './types';

/**
 * Renders a blueprint: file contents and file and folder names go through nunjucks with
 * Backstage's `${{ }}` syntax; binary files are copied untouched (their names are still
 * rendered); executable bits are kept. The result is sorted by path and depends only on the
 * files and the context, so the same input always gives byte-identical output.
 *
 * @throws BlueprintRenderError naming the file (and line) for an undefined variable, a syntax
 * error, or a rendered path that is empty, absolute, contains `..` or would clash with another.
 * @public
 */
export async function renderBlueprint(
  files: readonly BlueprintFile[],
  context: BlueprintRenderContext,
  options: RenderBlueprintOptions = {},
): Promise<RenderedFile[]> {
  const templates = templatesFor(options.digest);
  const compiled = (
    key: string,
    source: string,
    label: string,
    sourcePath: string,
  ) => {
    let template = templates.get(key);
    if (!template) {
      template = compileTemplate(source, label, sourcePath);
      templates.set(key, template);
    }
    return template;
  };

  const rendered = files.map((file): RenderedFile => {
    const path = hasTemplateSyntax(file.path)
      ? renderTemplate(
          compiled(
            `path:${file.path}`,
            file.path,
            `file name of '${file.path}'`,
            file.path,
          ),
          context,
          file.path,
        )
      : file.path;
    checkRenderedPath(path, file.path);

    const binary = isBinaryFileSync(file.content, file.content.length);
    let content = file.content;
    if (!binary) {
      const text = file.content.toString('utf8');
      if (hasTemplateSyntax(text)) {
        const template = compiled(
          `content:${file.path}`,
          text,
          file.path,
          file.path,
        );
        content = Buffer.from(
          renderTemplate(template, context, file.path),
          'utf8',
        );
      }
    }
    return {
      path,
      sourcePath: file.path,
      content,
      executable: file.executable,
      binary,
    };
  });

  checkNoCollisions(rendered);
  return rendered.sort(compareByPath);
}
