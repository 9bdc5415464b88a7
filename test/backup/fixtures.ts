import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { BackupRepository, FullRetention, PgBackRestSettings, S3KeyType, SecretKeyRef } from '../../src';

export function backupChart() {
  const chart: Chart = Testing.chart();
  const ref = (secret: string, key: string) => SecretKeyRef.of(kplus.Secret.fromSecretName(chart, `${secret}-${key}`, secret), key);
  const settings: PgBackRestSettings = {
    stanza: 'app-db',
    repositories: [
      BackupRepository.s3(
        { bucket: 'acme-backups', endpoint: 's3.eu-west-1.amazonaws.com', region: 'eu-west-1', credentials: { accessKeyId: ref('pgbackrest-s3', 'key'), secretAccessKey: ref('pgbackrest-s3', 'key-secret') } },
        { path: '/app-db', retentionFull: FullRetention.time(Duration.days(30)), cipherPassphrase: ref('pgbackrest-cipher', 'passphrase') },
      ),
      BackupRepository.s3({ bucket: 'acme-dr', endpoint: 's3.us-east-1.amazonaws.com', region: 'us-east-1', keyType: S3KeyType.WEB_ID }, { retentionFull: FullRetention.count(2) }),
    ],
  };
  const clientTls = { certificate: ref('pgbackrest-client-tls', 'tls.crt'), privateKey: ref('pgbackrest-client-tls', 'tls.key'), ca: ref('pgbackrest-client-tls', 'ca.crt') };
  const serverTls = { certificate: ref('pgbackrest-server-tls', 'tls.crt'), privateKey: ref('pgbackrest-server-tls', 'tls.key'), ca: ref('pgbackrest-server-tls', 'ca.crt') };
  return { chart, ref, settings, clientTls, serverTls };
}

