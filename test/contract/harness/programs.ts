import * as fs from 'fs';
import * as path from 'path';

/** Where Debian puts the programs the contract tests drive, beyond $PATH. */
const EXTRA_DIRS = ['/usr/lib/postgresql/15/bin', '/usr/sbin', '/usr/bin'];

/** The Debian package that provides each program, for the error message. */
const PACKAGES: Readonly<Record<string, string>> = {
  'postgres': 'postgresql-15',
  'initdb': 'postgresql-15',
  'pg_ctl': 'postgresql-15',
  'psql': 'postgresql-client-15',
  'pg_isready': 'postgresql-client-15',
  'pg_receivewal': 'postgresql-client-15',
  'pg_restore': 'postgresql-client-15',
  'pgbench': 'postgresql-contrib',
  'pgbouncer': 'pgbouncer',
  'pgbackrest': 'pgbackrest',
  'patroni': 'patroni',
  'etcd': 'etcd-server',
  'promtool': 'prometheus',
  'prometheus-pushgateway': 'prometheus-pushgateway',
  'prometheus_postgres_exporter': 'prometheus-postgres-exporter',
  'pgpool': 'pgpool2',
  'shellcheck': 'shellcheck',
  'setpriv': 'util-linux',
};

/**
 * The absolute path of a program the contract tests need. A missing program is an error, never a
 * skip: a contract test that did not run proved nothing.
 */
export function program(name: string): string {
  const dirs = [...EXTRA_DIRS, ...(process.env.PATH ?? '').split(':')];
  // postgres_exporter is packaged as prometheus-postgres-exporter.
  const candidates = name === 'prometheus_postgres_exporter' ? ['prometheus-postgres-exporter', 'postgres_exporter'] : [name];
  for (const dir of dirs) {
    for (const candidate of candidates) {
      const full = path.join(dir, candidate);
      if (fs.existsSync(full)) return full;
    }
  }
  throw new Error(`contract tests need "${name}" (Debian package ${PACKAGES[name] ?? '?'}); run scripts/install-contract-deps.sh as root`);
}
