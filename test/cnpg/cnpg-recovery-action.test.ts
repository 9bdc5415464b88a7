import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CnpgCluster, CnpgObjectStore, ObjectStoreCredentials, RecoveryAction, RecoveryTarget, SecretKeyRef } from '../../src';
import { synthValidated } from '../helpers/synth';

function restoredWith(target: RecoveryTarget) {
  const chart = Testing.chart();
  const s3 = kplus.Secret.fromSecretName(chart, 'S3', 'backup-s3');
  const store = new CnpgObjectStore(chart, 'Store', {
    name: 'shop-db-backups',
    destinationPath: 's3://acme-backups/shop-db',
    credentials: ObjectStoreCredentials.s3(SecretKeyRef.of(s3, 'ACCESS_KEY_ID'), SecretKeyRef.of(s3, 'ACCESS_SECRET_KEY')),
  });
  new CnpgCluster(chart, 'Restored', { name: 'shop-db-restored', storageSize: Size.gibibytes(5), recovery: { objectStore: store, sourceServerName: 'shop-db', target } });
  return chart;
}

describe('CnpgCluster recovery target action', () => {
  test('#11.16 a recovery target action other than promote is refused: CloudNativePG always promotes at the target', () => {
    // GIVEN a target that would pause or shut down
    for (const action of [RecoveryAction.PAUSE, RecoveryAction.SHUTDOWN]) {
      // WHEN a cluster recovers to it THEN refused
      expect(() => restoredWith(RecoveryTarget.time('2026-11-24T09:59:00Z', action)))
        .toThrow(`[test/Restored] recovery.target.action: got "${action.value}"; CloudNativePG always promotes`);
    }
  });

  test('#11.16 promote, or no action at all, is what CloudNativePG does: accepted', () => {
    // GIVEN targets that promote or say nothing
    for (const target of [RecoveryTarget.lsn('0/3000060', RecoveryAction.PROMOTE), RecoveryTarget.name('before-migration'), RecoveryTarget.immediate()]) {
      // WHEN a cluster recovers to it
      const spec = synthValidated(restoredWith(target)).find((m) => m.kind === 'Cluster').spec;
      // THEN the recovery target is rendered
      expect(spec.bootstrap.recovery.recoveryTarget).toBeDefined();
    }
  });
});
