import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { pgbackrestSecretEnv, PgBackRestPlacement } from './pgbackrest-config';
import { PgBackRestSettings } from './pgbackrest-settings';
import { PgBackRestTls } from './pgbackrest-tls';
import { propError } from '../core/errors';

/** Where pgBackRest's files live in every pod the library builds. */
export const PGBACKREST_PATHS = {
  configDir: '/etc/pgbackrest/conf',
  configFile: '/etc/pgbackrest/conf/pgbackrest.conf',
  tlsDir: '/etc/pgbackrest/tls',
  gcsDir: '/etc/pgbackrest/gcs',
  repository: '/var/lib/pgbackrest',
  spool: '/var/spool/pgbackrest',
  lock: '/tmp/pgbackrest',
  /** PostgreSQL's socket directory in the official postgres and Spilo images, shared with the sidecar. */
  postgresSocket: '/var/run/postgresql',
} as const;

/** Pod label of the jobs that may reach a database's pgBackRest TLS server (its NetworkPolicy admits them). */
export const PGBACKREST_CLIENT_LABEL = 'pg-reliability.cdk8s.io/pgbackrest-client';

/** The pod-side placement shared by every pgBackRest config the library renders. */
export function podPlacement(settings: PgBackRestSettings): Omit<PgBackRestPlacement, 'pg'> {
  return {
    lockPath: PGBACKREST_PATHS.lock,
    spoolPath: PGBACKREST_PATHS.spool,
    repoPathPrefix: () => PGBACKREST_PATHS.repository,
    gcsKeyFile: (n) => (settings.repositories[n - 1]._gcs?.serviceAccountKey ? `${PGBACKREST_PATHS.gcsDir}/repo${n}/key.json` : undefined),
  };
}

/**
 * Gives a container what pgBackRest needs: the config, the repository secrets as `PGBACKREST_*`
 * env, GCS key files, the posix repository volume, and writable lock and spool directories.
 */
export function wirePgBackRest(
  scope: Construct,
  container: kplus.Container,
  settings: PgBackRestSettings,
  configMap: kplus.ConfigMap,
  repositoryVolume?: kplus.Volume,
): void {
  const config = volumeOnce(scope, 'PgBackRestConfig', () => kplus.Volume.fromConfigMap(scope, 'PgBackRestConfig', configMap, { name: 'pgbackrest-config' }));
  container.mount(PGBACKREST_PATHS.configDir, config, { readOnly: true });
  container.mount(PGBACKREST_PATHS.spool, volumeOnce(scope, 'PgBackRestSpool', () => kplus.Volume.fromEmptyDir(scope, 'PgBackRestSpool', 'pgbackrest-spool')));
  container.mount('/tmp', volumeOnce(scope, 'Tmp', () => kplus.Volume.fromEmptyDir(scope, 'Tmp', 'tmp')));
  for (const secret of pgbackrestSecretEnv(settings)) secret.value.addToEnv(container, secret.name);
  settings.repositories.forEach((repo, i) => {
    const key = repo._gcs?.serviceAccountKey;
    if (key) key.mountAsFile(scope, container, `${PGBACKREST_PATHS.gcsDir}/repo${i + 1}`, 'key.json', { mode: 0o440 });
  });
  if (settings.repositories.some((repo) => repo.repositoryType === 'posix')) {
    if (!repositoryVolume) {
      throw propError(scope, 'repositoryVolume', undefined, `a posix repository lives on a volume: give repositoryVolume (a ReadWriteMany claim shared by the database pod and the backup jobs), mounted at ${PGBACKREST_PATHS.repository}`);
    }
    container.mount(PGBACKREST_PATHS.repository, repositoryVolume);
  }
}

/** Mounts the TLS files of one end into `container` and returns their paths. */
export function mountTls(scope: Construct, container: kplus.Container, tls: PgBackRestTls) {
  return {
    certFile: tls.certificate.mountAsFile(scope, container, `${PGBACKREST_PATHS.tlsDir}/cert`, 'tls.crt', { mode: 0o440 }),
    keyFile: tls.privateKey.mountAsFile(scope, container, `${PGBACKREST_PATHS.tlsDir}/key`, 'tls.key', { mode: 0o440 }),
    caFile: tls.ca.mountAsFile(scope, container, `${PGBACKREST_PATHS.tlsDir}/ca`, 'ca.crt', { mode: 0o440 }),
  };
}

/** One volume per scope and id, however many containers mount it. */
function volumeOnce(scope: Construct, id: string, make: () => kplus.Volume): kplus.Volume {
  return (scope.node.tryFindChild(id) as kplus.Volume | undefined) ?? make();
}
