import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DumpStorage, PgDumpBackup, SecretKeyRef } from '../../src';

describe('#11.15 library jobs take part in the app-wide name check', () => {
  test('an object of the user\'s named like the dump job\'s ServiceAccount fails the synth, naming both', () => {
    const chart = Testing.chart();
    const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Pw', 'pw'), 'password');
    const dump = new PgDumpBackup(chart, 'Dump', { connection: { host: 'db', database: 'app', user: 'app', password }, storage: DumpStorage.existingClaim('dumps') });
    // Applied together, the second ServiceAccount would silently replace the first.
    new kplus.ServiceAccount(chart, 'Mine', { metadata: { name: dump.cronJob.serviceAccount!.name } });
    expect(() => Testing.synth(chart)).toThrow(/ServiceAccount .*test\/Dump\/ServiceAccount.*test\/Mine|test\/Mine.*test\/Dump\/ServiceAccount/s);
  });
});
