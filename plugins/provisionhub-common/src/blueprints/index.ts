export * from './entity';
export * from './types';
export { validateBlueprintEntity } from './validateBlueprintEntity';
export { validateBlueprintValues } from './validateBlueprintValues';
export type { BlueprintValuesResult } from './validateBlueprintValues';
