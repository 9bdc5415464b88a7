import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { PgBouncerDeployment } from '../pooling/pgbouncer-deployment';

/**
 * The PgBouncer of this app that `host` names, when it pools by transaction or statement:
 * session settings (the timeouts, advisory locks migration tools take) would then apply to
 * whatever server connection the next transaction gets, not to the migration's.
 */
export function transactionPoolerAt(scope: IConstruct, host: string): string | undefined {
  const wanted = host.toLowerCase();
  for (const construct of scope.node.root.node.findAll()) {
    if (!(construct instanceof PgBouncerDeployment)) continue;
    const name = construct.service.name;
    const namespace = Chart.of(construct).namespace ?? construct.service.metadata.namespace ?? 'default';
    const hosts = [name, `${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`];
    if (!hosts.includes(wanted)) continue;
    // pgbouncer.ini as the pooler renders it: a global or per-database pool_mode.
    const modes = construct.renderIni().split('\n')
      .map((line) => /(?:^|\s)pool_mode\s*=\s*(\w+)/.exec(line)?.[1])
      .filter((mode): mode is string => mode !== undefined);
    if (modes.some((mode) => mode !== 'session')) return construct.node.path;
  }
  return undefined;
}
