import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { PoolMode, SecretKeyRef } from '../../src';

/** A chart with the seed's web app: 3 replicas of an app container, run as a non-root user. */
export function webApp(replicas = 3, chart: Chart = Testing.chart()) {
  const web = new kplus.Deployment(chart, 'Web', {
    replicas,
    containers: [{ name: 'app', image: 'registry.example/tr-web:1.4.2', portNumber: 4000, securityContext: { user: 1000, group: 1000 } }],
  });
  const userlist = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Userlist', 'pgbouncer-userlist'), 'userlist.txt');
  const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'AppDb', 'app-db-app'), 'password');
  return { chart: chart as Chart, web, userlist, password };
}

export const SEED_SETTINGS = {
  poolMode: PoolMode.TRANSACTION,
  databases: [{ name: 'myapp', host: 'postgresql-primary', dbname: 'myapp_production' }],
};
