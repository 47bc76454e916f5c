import {
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  KindValidator,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';

const envelopePolicy = EntityPolicies.allOf([
  new SchemaValidEntityPolicy(),
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
]);

const builtinKindValidators: KindValidator[] = [
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
];

/**
 * Checks an entity the way the catalog's default policies and built-in kind processors do.
 *
 * @returns undefined when the catalog would accept the entity, otherwise why it would not.
 * @public
 */
export async function validateCatalogEntity(
  entity: unknown,
): Promise<string | undefined> {
  try {
    const checked = await envelopePolicy.enforce(entity as Entity);
    if (!checked) {
      return 'the entity policies returned nothing';
    }
    let recognized = false;
    for (const validator of builtinKindValidators) {
      if (await validator.check(checked)) {
        recognized = true;
      }
    }
    if (!recognized) {
      return `'${checked.apiVersion}' kind '${checked.kind}' is not a built-in catalog kind`;
    }
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
