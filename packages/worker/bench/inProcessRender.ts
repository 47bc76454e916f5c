import type {
  BlueprintFile,
  BlueprintRenderContext,
  RenderedFile,
} from '@provisionhub/plugin-provisionhub-node';

/**
 * The render without the sandbox, for comparison only: the same templates compiled once and
 * rendered by plain nunjucks in this process (what the worker did before the sandbox).
 */
export function createInProcessRenderer(files: readonly BlueprintFile[]) {
  // The node package's nunjucks, loaded at run time: the worker does not depend on it.
  const nunjucks = require(require.resolve('nunjucks', {
    paths: [require.resolve('@provisionhub/plugin-provisionhub-node')],
  }));
  const env = new nunjucks.Environment(null, {
    autoescape: false,
    throwOnUndefined: true,
    tags: { variableStart: '${{', variableEnd: '}}' },
  });
  const templated = (text: string) =>
    text.includes('${{') || text.includes('{%') || text.includes('{#');
  const compiled = files.map(file => {
    const binary = file.content.includes(0);
    const text = binary ? '' : file.content.toString('utf8');
    return {
      file,
      binary,
      path: templated(file.path)
        ? new nunjucks.Template(file.path, env, undefined, true)
        : undefined,
      content:
        !binary && templated(text)
          ? new nunjucks.Template(text, env, undefined, true)
          : undefined,
    };
  });
  return (context: BlueprintRenderContext): RenderedFile[] =>
    compiled.map(c => ({
      path: c.path ? c.path.render(context) : c.file.path,
      sourcePath: c.file.path,
      content: c.content
        ? Buffer.from(c.content.render(context), 'utf8')
        : c.file.content,
      executable: c.file.executable,
      binary: c.binary,
    }));
}
