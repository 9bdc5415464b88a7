import { Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { DataDurability, PrimaryUpdateMethod, SynchronousMethod } from './cluster-choices';
import { CnpgClusterProps } from './cnpg-cluster-props';
import { checkPgHbaEntry } from './pg-hba';
import { targetMajor } from './postgres-settings';
import { checkNoPasswordLiteral } from './secret-literals';
import { mergeParameters } from './tuning';
import { RecoveryAction } from '../backup/recovery-target';
import { propError } from '../core/errors';
import { ImageCatalog } from '../core/image';
import { checkPlusMajor } from '../core/plus-objects';
import { checkInteger } from '../core/prop-checks';

/**
 * Checks a Cluster's props as CloudNativePG would at admission (and what it would accept but
 * silently ignore), naming `scope` in the errors, and returns the PostgreSQL parameters to
 * render: derived from memory, with the user's on top.
 */
export function checkClusterProps(scope: IConstruct, props: CnpgClusterProps): Record<string, string> {
  const instances = props.instances ?? 3;
  if (!Number.isInteger(instances) || instances < 1) throw propError(scope, 'instances', instances, 'at least 1 instance (3 for a primary and two standbys)');
  if (props.image && props.imageCatalog) {
    throw propError(scope, 'image', props.image.reference, 'CloudNativePG refuses imageName together with imageCatalogRef: give one of image and imageCatalog');
  }
  checkPlusMajor(scope, 'ownerSecret', props.ownerSecret);
  props.managedRoles?.forEach((role, i) => checkPlusMajor(scope, `managedRoles[${i}].passwordSecret`, role.passwordSecret));
  props.pgHba?.forEach((entry, i) => checkPgHbaEntry(scope, `pgHba[${i}]`, entry));
  props.postInitApplicationSql?.forEach((sql, i) => checkNoPasswordLiteral(scope, `postInitApplicationSql[${i}]`, sql));
  if (props.recovery && (props.postInitApplicationSql || props.postInitApplicationSqlRefs)) {
    // CloudNativePG runs them only after initdb; a recovered cluster would silently skip them.
    throw propError(scope, props.postInitApplicationSql ? 'postInitApplicationSql' : 'postInitApplicationSqlRefs', 'set together with recovery',
      'post-init SQL runs only after initdb: a cluster bootstrapped by recovery already has its source\'s objects; drop it or run it yourself');
  }
  // CloudNativePG writes `recovery_target_action = promote` itself and waits for the promotion;
  // its recoveryTarget has no field for another action, so one would be silently lost.
  const action = props.recovery?.target?.explicitAction;
  if (action && action.value !== RecoveryAction.PROMOTE.value) {
    throw propError(scope, 'recovery.target.action', action.value,
      'CloudNativePG always promotes at the end of a recovery bootstrap (recoveryTarget has no action field): use RecoveryAction.PROMOTE or leave the action unset');
  }
  const sync = props.synchronous;
  if (sync) {
    checkInteger(scope, 'synchronous.number', sync.number, 1, Math.max(1, instances - 1));
    checkChoice(scope, 'synchronous.method', sync.method, [SynchronousMethod.ANY, SynchronousMethod.FIRST]);
    checkChoice(scope, 'synchronous.dataDurability', sync.dataDurability, [DataDurability.REQUIRED, DataDurability.PREFERRED]);
  }
  checkChoice(scope, 'primaryUpdateMethod', props.primaryUpdateMethod, [PrimaryUpdateMethod.SWITCHOVER, PrimaryUpdateMethod.RESTART]);
  const image = props.imageCatalog ? undefined : props.image ?? ImageCatalog.CNPG_POSTGRES;
  return mergeParameters(scope, props.memory ?? Size.gibibytes(1), props.parameters ?? {}, targetMajor(image, props.imageCatalog));
}

/** Refuses what is not one of the enum-like class's values (a plain string from JavaScript). */
function checkChoice(scope: IConstruct, prop: string, value: { readonly value: string } | undefined, choices: { readonly value: string }[]): void {
  if (value === undefined || choices.some((c) => c.value === (value as { value?: unknown }).value)) return;
  throw propError(scope, prop, (value as { value?: unknown }).value ?? value, choices.map((c) => `"${c.value}"`).join(' or '));
}
