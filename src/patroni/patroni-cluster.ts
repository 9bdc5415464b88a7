import { ApiObject, Duration, JsonPatch, Lazy, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PatroniPlacement, renderPatroniYaml, resolvePatroniSettings, ResolvedPatroniSettings } from './patroni-config';
import { patroniRbacRules } from './patroni-rbac';
import { PatroniSettings } from './patroni-settings';
import { IPatroniCluster } from './patroni-switchover';
import { annotateConfigHash } from '../core/config-hash';
import { ConnectionEnvOptions } from '../core/connection-env';
import { addConnectionVariables, secretValue } from '../core/connection-variables';
import { propError } from '../core/errors';
import { ContainerImage, ImageCatalog } from '../core/image';
import { ingressPolicy } from '../core/ingress-policy';
import { NetworkPeer } from '../core/network-policy';
import { checkPlusMajor } from '../core/plus-objects';
import { checkInteger } from '../core/prop-checks';
import { SecretKeyRef } from '../core/secret-ref';
import { RestrictedSecurity } from '../core/security';
import { checkUniqueNames } from '../core/unique-names';
import { ConnectionBudget } from '../pooling/connection-budget';

const PG_PORT = 5432;
const REST_PORT = 8008;
const CONFIG_DIR = '/etc/patroni';
/** Spilo's layout: the data volume at the postgres user's home. */
const DATA_MOUNT = '/home/postgres/pgdata';

/** The passwords of the users Patroni connects as, from Secrets (delivered as PATRONI_*_PASSWORD). */
export interface PatroniPasswords {
  /** The superuser's password (`PATRONI_SUPERUSER_PASSWORD`). */
  readonly superuser: SecretKeyRef;
  /** The replication user's password (`PATRONI_REPLICATION_PASSWORD`). */
  readonly replication: SecretKeyRef;
  /** The pg_rewind user's password (`PATRONI_REWIND_PASSWORD`). */
  readonly rewind: SecretKeyRef;
  /**
   * Basic-auth password of the REST API's unsafe endpoints (switchover, restart, config), with
   * user `patroni` (`PATRONI_RESTAPI_USERNAME`/`PATRONI_RESTAPI_PASSWORD`).
   * @default - the REST API takes unauthenticated POSTs from anything the NetworkPolicy admits
   */
  readonly restApi?: SecretKeyRef;
}

/** Props of `PatroniCluster`. */
export interface PatroniClusterProps {
  /** Patroni's settings; `settings.scope` names the cluster, its primary Service and the other objects. */
  readonly settings: PatroniSettings;
  /** Passwords from Secrets. */
  readonly passwords: PatroniPasswords;
  /**
   * Members (pods). Three, so one can fail while a synchronous standby remains.
   * @default 3
   */
  readonly instances?: number;
  /**
   * `max_connections` of every member, also the size of `connectionBudget`.
   * @default 100
   */
  readonly maxConnections?: number;
  /**
   * Size of each member's data claim.
   * @default Size.gibibytes(10)
   */
  readonly storageSize?: Size;
  /**
   * StorageClass of the data claims.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Image with Patroni and PostgreSQL (`patroni` on $PATH, PostgreSQL 15 in /usr/lib/postgresql/15/bin).
   * @default ImageCatalog.PATRONI
   */
  readonly image?: ContainerImage;
  /**
   * User id the container runs as (Spilo's postgres user is 101, its group 103).
   * @default 101
   */
  readonly runAsUser?: number;
  /**
   * Group id (and fsGroup of the volumes).
   * @default 103
   */
  readonly runAsGroup?: number;
  /**
   * Resources of the Patroni container.
   * @default - requests of 250m CPU and 512Mi memory, a 1Gi memory limit
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * Refuse to schedule two members on one node instead of only preferring not to.
   * @default true
   */
  readonly requireSeparateNodes?: boolean;
  /**
   * Put a NetworkPolicy on the members: PostgreSQL admits `clients` and the members, the REST
   * API the members and `restApiClients`; every other port is closed.
   * @default true
   */
  readonly networkPolicy?: boolean;
  /**
   * Who may connect to PostgreSQL besides the members.
   * @default [NetworkPeer.sameNamespace()]
   */
  readonly clients?: NetworkPeer[];
  /**
   * Who may call the REST API besides the members (switchover Jobs, Prometheus at /metrics).
   * @default [NetworkPeer.sameNamespace()]
   */
  readonly restApiClients?: NetworkPeer[];
}

/**
 * A highly available PostgreSQL cluster run by Patroni, without an operator: a StatefulSet of
 * members spread over nodes and zones, a PodDisruptionBudget, the RBAC Patroni's Kubernetes DCS
 * needs and nothing more, a primary Service that can only reach the leader, a replica Service,
 * REST probes, and `patroni.yml` in a ConfigMap whose hash rolls the pods.
 *
 * With the Kubernetes DCS and Endpoints (the default) Patroni writes the leader's address into
 * the primary Service's Endpoints in the same update that takes the leader lock. With ConfigMaps
 * the primary Service selects the leader's role label. With etcd the pods get no API token.
 */
export class PatroniCluster extends Construct implements IPatroniCluster {
  /** The members. */
  public readonly statefulSet: kplus.StatefulSet;
  /** The Patroni container. */
  public readonly container: kplus.Container;
  /** The primary Service (named after the scope): reads and writes. */
  public readonly primaryService: kplus.Service;
  /** The replica Service (`<scope>-replicas`): read-only queries. */
  public readonly replicaService: kplus.Service;
  /** The ConfigMap holding patroni.yml. */
  public readonly configMap: kplus.ConfigMap;
  /** Connections of the primary (`max_connections`): poolers and applications charge it. */
  public readonly connectionBudget: ConnectionBudget;
  /** The PostgreSQL port. */
  public readonly port = PG_PORT;
  /** The REST API port. */
  public readonly restApiPort = REST_PORT;
  /** The cluster name (`scope`). */
  public readonly scope: string;
  /** Base URL of the members' REST API (the headless members Service). */
  public readonly restApiUrl: string;
  /** The REST API password, when `passwords.restApi` is given. */
  public readonly restApiPassword?: SecretKeyRef;
  /** The Patroni image. */
  public readonly image: ContainerImage;
  /** The user id the Patroni container runs as. */
  public readonly runAsUser: number;
  private readonly resolved: ResolvedPatroniSettings;
  private readonly placement: PatroniPlacement;

  constructor(scope: Construct, id: string, props: PatroniClusterProps) {
    super(scope, id);
    const settings = props.settings ?? ({} as PatroniSettings);
    const maxConnections = props.maxConnections ?? 100;
    checkInteger(this, 'maxConnections', maxConnections, 25, 262143);
    if ((settings.postgresSettings ?? []).some((s) => s.name?.toLowerCase() === 'max_connections')) {
      throw propError(this, 'settings.postgresSettings.max_connections', 'set', 'use the maxConnections prop: it also sizes connectionBudget');
    }
    this.resolved = resolvePatroniSettings(this, {
      ...settings,
      postgresSettings: [{ name: 'max_connections', value: String(maxConnections) }, ...(settings.postgresSettings ?? [])],
    });
    const name = settings.scope;
    const instances = props.instances ?? 3;
    checkInteger(this, 'instances', instances, 1, 99);
    for (const [key, ref] of Object.entries(props.passwords ?? {})) checkPlusMajor(this, `passwords.${key}`, (ref as SecretKeyRef).secret);
    for (const key of ['superuser', 'replication', 'rewind'] as const) {
      if (!props.passwords?.[key]) throw propError(this, `passwords.${key}`, undefined, 'a SecretKeyRef: Patroni reads every password from the environment');
    }
    const user = props.runAsUser ?? 101;
    checkInteger(this, 'runAsUser', user, 1, 2147483647);
    this.scope = name;
    this.restApiUrl = `http://${name}-members:${REST_PORT}`;
    this.restApiPassword = props.passwords.restApi;
    this.image = props.image ?? ImageCatalog.PATRONI;
    this.runAsUser = user;
    const group = props.runAsGroup ?? 103;
    const dcs = this.resolved.dcs;
    const onKubernetes = dcs.kind === 'kubernetes';
    const labels = { 'application': 'patroni', 'cluster-name': name };
    this.placement = {
      restApiListen: `0.0.0.0:${REST_PORT}`,
      postgresListen: `0.0.0.0:${PG_PORT}`,
      dataDir: `${DATA_MOUNT}/pgroot/data`,
      binDir: '/usr/lib/postgresql/15/bin',
      pgpassFile: '/run/patroni/pgpass',
      socketDir: '/run/postgresql',
      kubernetes: onKubernetes ? { labels, ports: [{ name: 'postgresql', port: PG_PORT }] } : undefined,
      etcdTls: dcs.tls ? { caFile: `${CONFIG_DIR}/etcd-ca/ca.crt`, certFile: dcs.tls.certificate && `${CONFIG_DIR}/etcd-cert/tls.crt`, keyFile: dcs.tls.privateKey && `${CONFIG_DIR}/etcd-key/tls.key` } : undefined,
    };
    this.renderYaml(); // a setting the file cannot hold fails here, at the construct

    this.configMap = new kplus.ConfigMap(this, 'Config', { metadata: { name: `${name}-patroni` } });
    this.configMap.addData('patroni.yml', Lazy.any({ produce: () => this.renderYaml() }) as unknown as string);
    const serviceAccount = onKubernetes ? this.addRbac(name, dcs.useEndpoints) : undefined;

    // Services carry no Patroni labels: Kubernetes copies them onto the Endpoints it manages,
    // and Patroni lists the Endpoints with those labels as its own state.
    const members = new kplus.Service(this, 'Members', {
      metadata: { name: `${name}-members` },
      clusterIP: 'None',
      ports: [{ name: 'postgresql', port: PG_PORT }, { name: 'patroni', port: REST_PORT }],
    });
    this.statefulSet = new kplus.StatefulSet(this, 'Resource', {
      metadata: { name, labels },
      replicas: instances,
      service: members,
      podManagementPolicy: kplus.PodManagementPolicy.PARALLEL,
      securityContext: RestrictedSecurity.pod({ user, group }),
      serviceAccount,
      automountServiceAccountToken: onKubernetes,
    });
    for (const [key, value] of Object.entries(labels)) this.statefulSet.podMetadata.addLabel(key, value);
    this.statefulSet.scheduling.spread(props.requireSeparateNodes ?? true ? {} : { weight: 100 });
    this.statefulSet.scheduling.spread({ topology: kplus.Topology.ZONE, weight: 50 });
    this.container = this.addPatroniContainer(props, user, group);
    this.addDataClaim(props);
    annotateConfigHash(this.statefulSet.podMetadata, () => [this.renderYaml()]);

    this.primaryService = this.addPrimaryService(name, labels);
    this.replicaService = new kplus.Service(this, 'Replicas', {
      metadata: { name: `${name}-replicas` },
      selector: kplus.Pods.select(this, 'ReplicaPods', { labels: { ...labels, role: 'replica' } }),
      ports: [{ name: 'postgresql', port: PG_PORT, targetPort: PG_PORT }],
    });
    new ApiObject(this, 'Disruption', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name },
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    });
    this.connectionBudget = new ConnectionBudget(this, 'ConnectionBudget', { host: name, port: PG_PORT, maxConnections, serverName: `Patroni cluster ${name}` });
    if (props.networkPolicy ?? true) {
      const self = NetworkPeer.pods(labels);
      ingressPolicy(this, 'NetworkPolicy', labels, [
        { ports: () => [PG_PORT], from: [self, ...(props.clients ?? [NetworkPeer.sameNamespace()])] },
        { ports: () => [REST_PORT], from: [self, ...(props.restApiClients ?? [NetworkPeer.sameNamespace()])] },
      ], name);
    }
    checkUniqueNames(this);
  }

  /**
   * Gives an application container its connection settings: `PGHOST` (the primary Service, or
   * the replica Service with `target: ConnectionTarget.REPLICAS`), `PGPORT`, `PGDATABASE`,
   * `PGUSER`, `PGPASSWORD` (from the Secret) and `DATABASE_URL`. `database`, `user` and
   * `password` are required: Patroni creates no application database. There is no pooler, so
   * `pooled` changes nothing.
   */
  public addConnectionEnv(container: kplus.Container, options: ConnectionEnvOptions): void {
    checkPlusMajor(this, 'addConnectionEnv.container', container);
    const { database, user, password } = options;
    if (database === undefined) throw propError(this, 'addConnectionEnv.database', undefined, 'required: give the database the application uses');
    if (user === undefined) throw propError(this, 'addConnectionEnv.user', undefined, 'required: give the user the application logs in as');
    if (password === undefined) throw propError(this, 'addConnectionEnv.password', undefined, 'required: give that user\'s password as a SecretKeyRef');
    checkPlusMajor(this, 'addConnectionEnv.password.secret', password.secret);
    const replicas = options.target !== undefined && options.target.role === 'replicas';
    addConnectionVariables(this, container, {
      host: (replicas ? this.replicaService : this.primaryService).name,
      port: PG_PORT,
      database: { literal: database },
      user: { literal: user },
      password: secretValue(password),
    }, options);
  }

  /** patroni.yml as it will be synthesized. */
  public renderYaml(): string {
    return renderPatroniYaml(this.resolved, this.placement);
  }

  private addRbac(name: string, useEndpoints: boolean): kplus.ServiceAccount {
    const account = new kplus.ServiceAccount(this, 'ServiceAccount', { metadata: { name }, automountToken: true });
    const role = new kplus.Role(this, 'Role', { metadata: { name } });
    for (const rule of patroniRbacRules(useEndpoints)) role.allow(rule.verbs, kplus.ApiResource.custom({ apiGroup: '', resourceType: rule.resource }));
    new kplus.RoleBinding(this, 'RoleBinding', { metadata: { name }, role }).addSubjects(account);
    return account;
  }

  private addPatroniContainer(props: PatroniClusterProps, user: number, group: number): kplus.Container {
    const container = this.statefulSet.addContainer({
      name: 'patroni',
      image: this.image.reference,
      command: ['patroni', `${CONFIG_DIR}/patroni.yml`],
      ports: [{ name: 'postgresql', number: PG_PORT }, { name: 'patroni', number: REST_PORT }],
      securityContext: RestrictedSecurity.container({ user, group }),
      resources: props.resources ?? {
        cpu: { request: kplus.Cpu.millis(250) },
        memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) },
      },
      // Patroni's own checks: /readiness is 200 on the leader and on a running replica that
      // sees the DCS; /liveness fails only when Patroni's HA loop stalls past ttl.
      readiness: kplus.Probe.fromHttpGet('/readiness', { port: REST_PORT, periodSeconds: Duration.seconds(5), failureThreshold: 3 }),
      liveness: kplus.Probe.fromHttpGet('/liveness', { port: REST_PORT, periodSeconds: Duration.seconds(10), failureThreshold: 6, timeoutSeconds: Duration.seconds(5) }),
      envVariables: {
        PATRONI_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
        POD_IP: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_IP),
        // $(POD_IP) is expanded by the kubelet from the variable above (defined earlier).
        PATRONI_RESTAPI_CONNECT_ADDRESS: kplus.EnvValue.fromValue(`$(POD_IP):${REST_PORT}`),
        PATRONI_POSTGRESQL_CONNECT_ADDRESS: kplus.EnvValue.fromValue(`$(POD_IP):${PG_PORT}`),
      },
    });
    if (this.resolved.dcs.kind === 'kubernetes') {
      container.env.addVariable('PATRONI_KUBERNETES_NAMESPACE', kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE));
      container.env.addVariable('PATRONI_KUBERNETES_POD_IP', kplus.EnvValue.fromValue('$(POD_IP)'));
    }
    props.passwords.superuser.addToEnv(container, 'PATRONI_SUPERUSER_PASSWORD');
    props.passwords.replication.addToEnv(container, 'PATRONI_REPLICATION_PASSWORD');
    props.passwords.rewind.addToEnv(container, 'PATRONI_REWIND_PASSWORD');
    if (props.passwords.restApi) {
      container.env.addVariable('PATRONI_RESTAPI_USERNAME', kplus.EnvValue.fromValue('patroni'));
      props.passwords.restApi.addToEnv(container, 'PATRONI_RESTAPI_PASSWORD');
    }
    container.mount(CONFIG_DIR, kplus.Volume.fromConfigMap(this, 'ConfigVolume', this.configMap, { name: 'patroni-config' }), { readOnly: true });
    // The root filesystem is read-only: Patroni and PostgreSQL write only to these.
    container.mount('/run/patroni', kplus.Volume.fromEmptyDir(this, 'RunPatroni', 'run-patroni'));
    container.mount('/run/postgresql', kplus.Volume.fromEmptyDir(this, 'RunPostgresql', 'run-postgresql'));
    container.mount('/tmp', kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp'));
    const tls = this.resolved.dcs.tls;
    if (tls) {
      tls.ca.mountAsFile(this, container, `${CONFIG_DIR}/etcd-ca`, 'ca.crt');
      tls.certificate?.mountAsFile(this, container, `${CONFIG_DIR}/etcd-cert`, 'tls.crt');
      tls.privateKey?.mountAsFile(this, container, `${CONFIG_DIR}/etcd-key`, 'tls.key', { mode: 0o400 });
    }
    return container;
  }

  /** cdk8s-plus has no volumeClaimTemplates: the claim and its mount are added as patches. */
  private addDataClaim(props: PatroniClusterProps): void {
    const size = props.storageSize ?? Size.gibibytes(10);
    let mebibytes = 0;
    try {
      mebibytes = size.toMebibytes();
    } catch {
      // a fraction of a MiB: refused below
    }
    if (!(mebibytes >= 1)) throw propError(this, 'storageSize', `${size.toKibibytes()} KiB`, 'a whole number of MiB, at least 1');
    const sts = ApiObject.of(this.statefulSet);
    sts.addJsonPatch(JsonPatch.add('/spec/volumeClaimTemplates', [{
      metadata: { name: 'pgdata' },
      spec: {
        accessModes: ['ReadWriteOnce'],
        // The typed StatefulSet converts requests as Quantity objects after the patches are applied.
        resources: { requests: { storage: { value: `${mebibytes}Mi` } } },
        ...(props.storageClassName ? { storageClassName: props.storageClassName } : {}),
      },
    }]));
    sts.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/volumeMounts/-', { name: 'pgdata', mountPath: DATA_MOUNT }));
  }

  private addPrimaryService(name: string, labels: Record<string, string>): kplus.Service {
    const ports = [{ name: 'postgresql', port: PG_PORT, targetPort: PG_PORT }];
    if (this.resolved.dcs.kind === 'kubernetes' && this.resolved.dcs.useEndpoints) {
      // No selector: Patroni owns the Endpoints of this name and writes only the leader into them
      // (cdk8s-plus writes an empty selector, removed).
      const service = new kplus.Service(this, 'Primary', { metadata: { name }, ports });
      ApiObject.of(service).addJsonPatch(JsonPatch.remove('/spec/selector'));
      return service;
    }
    return new kplus.Service(this, 'Primary', {
      metadata: { name },
      selector: kplus.Pods.select(this, 'LeaderPods', { labels: { ...labels, role: this.resolved.version.leaderRoleLabel } }),
      ports,
    });
  }
}
