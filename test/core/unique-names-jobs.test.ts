import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DumpStorage, PgDumpBackup, SecretKeyRef } from '../../src';

describe('#11.15 library jobs take part in the app-wide name check', () => {
  test('GIVEN a dump job WHEN the user adds a ServiceAccount with the name of the job\'s THEN the synth fails, naming both', () => {
    // GIVEN a PgDumpBackup, which creates its own ServiceAccount
    const chart = Testing.chart();
    const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Pw', 'pw'), 'password');
    const dump = new PgDumpBackup(chart, 'Dump', { connection: { host: 'db', database: 'app', user: 'app', password }, storage: DumpStorage.existingClaim('dumps') });
    // WHEN the user adds a ServiceAccount of the same name: applied together, the second would silently replace the first
    new kplus.ServiceAccount(chart, 'Mine', { metadata: { name: dump.cronJob.serviceAccount!.name } });
    // THEN the synth fails, naming both paths
    expect(() => Testing.synth(chart)).toThrow(/ServiceAccount .*test\/Dump\/ServiceAccount.*test\/Mine|test\/Mine.*test\/Dump\/ServiceAccount/s);
  });
});
