import { isBinaryFileSync } from 'isbinaryfile';
import type { BlueprintFile } from '../blueprints/BlueprintFile';
import { hasTemplateSyntax } from './templateSyntax';

/** One template of a blueprint: a file name or a file's content. */
export interface PlannedTemplate {
  source: string;
  /** Names it in errors: the file path, or `file name of '<path>'`. */
  label: string;
  sourcePath: string;
}

/** What rendering a blueprint involves; depends only on its files, so it is cached by digest. */
export interface RenderPlan {
  templates: PlannedTemplate[];
  files: Array<{
    file: BlueprintFile;
    binary: boolean;
    /** Index in `templates` of the file name, when it has template syntax. */
    pathTemplate?: number;
    contentTemplate?: number;
  }>;
}

const MAX_PLANS = 32;
const plans = new Map<string, RenderPlan>();

/** The plan of the files with this digest, least recently used digest evicted first. */
export function renderPlanFor(
  digest: string,
  files: readonly BlueprintFile[],
): RenderPlan {
  let plan = plans.get(digest);
  if (plan) {
    plans.delete(digest);
  } else {
    plan = createPlan(files);
    if (plans.size >= MAX_PLANS) {
      plans.delete(plans.keys().next().value as string);
    }
  }
  plans.set(digest, plan);
  return plan;
}

function createPlan(files: readonly BlueprintFile[]): RenderPlan {
  const templates: PlannedTemplate[] = [];
  const add = (template: PlannedTemplate) => templates.push(template) - 1;
  return {
    templates,
    files: files.map(file => {
      const binary = isBinaryFileSync(file.content, file.content.length);
      const text = binary ? '' : file.content.toString('utf8');
      return {
        file,
        binary,
        pathTemplate: hasTemplateSyntax(file.path)
          ? add({
              source: file.path,
              label: `file name of '${file.path}'`,
              sourcePath: file.path,
            })
          : undefined,
        contentTemplate:
          !binary && hasTemplateSyntax(text)
            ? add({ source: text, label: file.path, sourcePath: file.path })
            : undefined,
      };
    }),
  };
}
