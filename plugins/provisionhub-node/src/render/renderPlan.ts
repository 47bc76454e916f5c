import { isBinaryFileSync } from 'isbinaryfile';
import type { BlueprintFile } from '../blueprints/BlueprintFile';
import { hasTemplateSyntax } from './templateSyntax';

/** One template of a blueprint: a file name or a file's content. */
export interface PlannedTemplate {
  /** Read when needed: sent to the sandbox only when it does not hold the digest. */
  readonly source: string;
  /** Names it in errors: the file path, or `file name of '<path>'`. */
  label: string;
  sourcePath: string;
}

/**
 * What rendering a blueprint involves, by position in its files sorted by path. It depends only
 * on the files, so it is cached by digest; it holds no file contents.
 */
export interface RenderPlan {
  templates: Array<{ file: number; part: 'path' | 'content' }>;
  files: Array<{
    binary: boolean;
    /** Index in `templates` of the file name, when it has template syntax. */
    pathTemplate?: number;
    contentTemplate?: number;
  }>;
}

const MAX_PLANS = 32;
const plans = new Map<string, RenderPlan>();

/**
 * The plan of `sorted` (sorted by path, with this digest), least recently used digest evicted
 * first.
 */
export function renderPlanFor(
  digest: string,
  sorted: readonly BlueprintFile[],
): RenderPlan {
  let plan = plans.get(digest);
  if (plan) {
    plans.delete(digest);
  } else {
    plan = createPlan(sorted);
    if (plans.size >= MAX_PLANS) {
      plans.delete(plans.keys().next().value as string);
    }
  }
  plans.set(digest, plan);
  return plan;
}

/** The plan's templates over these files. */
export function plannedTemplates(
  plan: RenderPlan,
  sorted: readonly BlueprintFile[],
): PlannedTemplate[] {
  return plan.templates.map(({ file, part }) => {
    const { path, content } = sorted[file];
    return {
      get source() {
        return part === 'path' ? path : content.toString('utf8');
      },
      label: part === 'path' ? `file name of '${path}'` : path,
      sourcePath: path,
    };
  });
}

function createPlan(sorted: readonly BlueprintFile[]): RenderPlan {
  const templates: RenderPlan['templates'] = [];
  const add = (file: number, part: 'path' | 'content') =>
    templates.push({ file, part }) - 1;
  return {
    templates,
    files: sorted.map((file, index) => {
      const binary = isBinaryFileSync(file.content, file.content.length);
      return {
        binary,
        pathTemplate: hasTemplateSyntax(file.path)
          ? add(index, 'path')
          : undefined,
        contentTemplate:
          !binary && hasTemplateSyntax(file.content.toString('utf8'))
            ? add(index, 'content')
            : undefined,
      };
    }),
  };
}
