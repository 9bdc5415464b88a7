import { ApiObject, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkPgpoolSettings, connectionsPerBackend, pgpoolStartScript, renderPgpoolConf, renderPoolHba } from './pgpool-config';
import { PgpoolSettings } from './pgpool-settings';
import { annotateConfigHash } from '../core/config-hash';
import { ConnectionEnvOptions, ConnectionTarget } from '../core/connection-env';
import { addConnectionVariables, secretValue } from '../core/connection-variables';
import { propError } from '../core/errors';
import { ContainerImage, ImageCatalog } from '../core/image';
import { ingressPolicy } from '../core/ingress-policy';
import { assertServiceName } from '../core/naming';
import { NetworkPeer } from '../core/network-policy';
import { checkPlusMajor } from '../core/plus-objects';
import { checkInteger } from '../core/prop-checks';
import { SecretKeyRef } from '../core/secret-ref';
import { RestrictedSecurity } from '../core/security';
import { shellQuote } from '../core/shell';
import { sidecarContainerProps } from '../core/sidecar-container';
import { checkUniqueNames } from '../core/unique-names';
import { IConnectionBudget } from '../pooling/connection-budget';

const CONFIG_DIR = '/etc/pgpool';
const RUN_DIR = '/run/pgpool';
const PCP_PORT = 9898;

/** A role that logs in through pgpool; pgpool needs its password to do SCRAM with the backends. */
export interface PgpoolUser {
  /** The role name (no ":"). */
  readonly name: string;
  /** Its password in a Secret; written to pool_passwd only AES-encrypted, in the pod's memory. */
  readonly password: SecretKeyRef;
}

/** Props of `PgpoolDeployment`. */
export interface PgpoolDeploymentProps {
  /** pgpool.conf in pgpool's vocabulary. */
  readonly settings: PgpoolSettings;
  /** The roles clients log in as, and `settings.checkUser`. */
  readonly users: PgpoolUser[];
  /** The AES key that encrypts pool_passwd (any string; keep it in a Secret). */
  readonly aesKey: SecretKeyRef;
  /**
   * `pcp.conf` (`user:md5-of-password` lines, made with `pg_md5`), which pgpool needs to start.
   * @see https://www.pgpool.net/docs/43/en/html/configuring-pcp-conf.html
   */
  readonly pcpConf: SecretKeyRef;
  /**
   * Name of the Service clients connect to, of the Deployment, the PodDisruptionBudget and the
   * NetworkPolicy; the ConfigMap is `<name>-config`. A DNS-1035 label.
   * @default - names cdk8s derives from the construct path
   */
  readonly name?: string;
  /**
   * pgpool pods. Each opens up to `num_init_children × max_pool` connections to every backend.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Pods a voluntary disruption may take down at once.
   * @default 1
   */
  readonly maxUnavailable?: number;
  /**
   * The port pgpool listens on.
   * @default 5432
   */
  readonly port?: number;
  /**
   * Budgets of the backends, matched by host and port: each is charged
   * `replicas × num_init_children × max_pool`, and the synth fails when it does not fit.
   * @default - none: the sizing is not checked
   */
  readonly connectionBudgets?: IConnectionBudget[];
  /**
   * Client address ranges pool_hba.conf admits (SCRAM only).
   * @default ["0.0.0.0/0", "::/0"] (the NetworkPolicy decides who reaches the port)
   */
  readonly clientCidrs?: string[];
  /**
   * pgpool image (it must have `pg_enc`, `psql` and `/bin/sh`).
   * @default ImageCatalog.PGPOOL
   */
  readonly image?: ContainerImage;
  /**
   * The user pgpool runs as.
   * @default 999
   */
  readonly runAsUser?: number;
  /**
   * Put a NetworkPolicy on the pods: the pgpool port admits `clients` only.
   * @default true
   */
  readonly networkPolicy?: boolean;
  /**
   * Who may connect.
   * @default - every pod of the namespace
   */
  readonly clients?: NetworkPeer[];
}

/**
 * pgpool-II in front of a primary and its streaming standbys: writes go to the primary, reads
 * are balanced over the standbys by weight and kept off standbys lagging beyond
 * `delay_threshold`. A Deployment of restricted pods, a Service, a PodDisruptionBudget and a
 * NetworkPolicy; the config in a ConfigMap (a change rolls the pods), the AES key and pcp.conf
 * mounted from Secrets, pool_passwd written AES-encrypted at start into memory. The readiness
 * probe logs in through pgpool and fails when no backend answers.
 */
export class PgpoolDeployment extends Construct {
  /** The pgpool pods. */
  public readonly deployment: kplus.Deployment;
  /** The Service clients connect to. */
  public readonly service: kplus.Service;
  /** The pgpool container. */
  public readonly container: kplus.Container;
  /** The ConfigMap holding pgpool.conf, pool_hba.conf and the start script. */
  public readonly configMap: kplus.ConfigMap;
  /** The port pgpool listens on. */
  public readonly port: number;
  private readonly props: PgpoolDeploymentProps;
  private readonly replicas: number;

  constructor(scope: Construct, id: string, props: PgpoolDeploymentProps) {
    super(scope, id);
    this.props = props;
    if (props.name !== undefined) assertServiceName(this, 'name', props.name);
    checkPgpoolSettings(this, props.settings);
    this.replicas = props.replicas ?? 2;
    checkInteger(this, 'replicas', this.replicas, 1);
    const maxUnavailable = props.maxUnavailable ?? 1;
    checkInteger(this, 'maxUnavailable', maxUnavailable, 1, this.replicas);
    this.port = props.port ?? 5432;
    checkInteger(this, 'port', this.port, 1024, 65535);
    if (this.port === PCP_PORT) throw propError(this, 'port', this.port, `another port than pcp's ${PCP_PORT}`);
    const checkIndex = this.checkUsers();
    const user = props.runAsUser ?? RestrictedSecurity.POSTGRES_USER;
    const metadata = props.name === undefined ? undefined : { name: props.name };

    const conf = renderPgpoolConf(this, props.settings, {
      listenAddress: '*', port: this.port, pcpListenAddress: 'localhost', pcpPort: PCP_PORT, runDir: RUN_DIR, poolPasswdFile: `${RUN_DIR}/pool_passwd`,
    });
    const files = {
      'pgpool.conf': conf,
      'pool_hba.conf': renderPoolHba(this, props.clientCidrs ?? ['0.0.0.0/0', '::/0']),
      'start.sh': pgpoolStartScript(props.users.map((u, i) => ({ name: u.name, passwordVariable: `POOL_PASSWORD_${i}` })), {
        conf: `${CONFIG_DIR}/pgpool.conf`,
        hba: `${CONFIG_DIR}/pool_hba.conf`,
        pcp: '/etc/pgpool-pcp/pcp.conf',
        keySource: '/etc/pgpool-key/pgpoolkey',
        key: `${RUN_DIR}/.pgpoolkey`,
        runDir: RUN_DIR,
      }),
    };
    this.configMap = new kplus.ConfigMap(this, 'Config', { metadata: props.name ? { name: `${props.name}-config` } : undefined, data: files });

    this.deployment = new kplus.Deployment(this, 'Resource', {
      metadata,
      replicas: this.replicas,
      strategy: kplus.DeploymentStrategy.rollingUpdate({
        maxSurge: kplus.PercentOrAbsolute.absolute(1), maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
      }),
      securityContext: { ensureNonRoot: true, user, group: user, fsGroup: user },
      automountServiceAccountToken: false,
    });
    this.deployment.scheduling.spread({ weight: 100 });
    // Ready only when a session through pgpool reaches some backend: an open port is not enough.
    const sessionCheck = ['/bin/sh', '-c', `PGPASSWORD="$POOL_PASSWORD_${checkIndex}" psql -X -q -h 127.0.0.1 -p ${this.port} `
      + `-U ${shellQuote(props.settings.checkUser)} -d ${shellQuote(props.settings.checkDatabase ?? 'postgres')} -tAc 'SELECT 1' > /dev/null`];
    this.container = this.deployment.addContainer(sidecarContainerProps({
      name: 'pgpool',
      image: props.image ?? ImageCatalog.PGPOOL,
      user,
      port: this.port,
      portName: 'postgres',
      command: ['/bin/sh', `${CONFIG_DIR}/start.sh`],
      readiness: kplus.Probe.fromCommand(sessionCheck, {
        periodSeconds: Duration.seconds(10), timeoutSeconds: Duration.seconds(5), failureThreshold: 2,
      }),
      // A pgpool without backends is not restarted (that would not bring them back): liveness is the listener.
      liveness: kplus.Probe.fromTcpSocket({ port: this.port, initialDelaySeconds: Duration.seconds(10), periodSeconds: Duration.seconds(20) }),
      resources: { cpu: { request: kplus.Cpu.millis(100) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) } },
    }));
    props.users.forEach((u, i) => u.password.addToEnv(this.container, `POOL_PASSWORD_${i}`));
    this.container.mount(CONFIG_DIR, kplus.Volume.fromConfigMap(this, 'ConfigVolume', this.configMap, { name: 'pgpool-config' }), { readOnly: true });
    props.pcpConf.mountAsFile(this, this.container, '/etc/pgpool-pcp', 'pcp.conf', { mode: 0o440 });
    props.aesKey.mountAsFile(this, this.container, '/etc/pgpool-key', 'pgpoolkey', { mode: 0o400 });
    const run = kplus.Volume.fromEmptyDir(this, 'RunVolume', 'pgpool-run', { medium: kplus.EmptyDirMedium.MEMORY, sizeLimit: Size.mebibytes(16) });
    this.container.mount(RUN_DIR, run);
    annotateConfigHash(this.deployment.podMetadata, () => Object.values(files));

    this.service = this.deployment.exposeViaService({
      name: props.name, ports: [{ port: this.port, targetPort: this.port, name: 'postgres' }], serviceType: kplus.ServiceType.CLUSTER_IP,
    });
    new ApiObject(this, 'Disruption', {
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata, spec: { maxUnavailable, selector: { matchLabels: this.deployment.matchLabels } },
    });
    if (props.networkPolicy ?? true) {
      ingressPolicy(this, 'NetworkPolicy', this.deployment.matchLabels, [{ ports: () => [this.port], from: props.clients ?? [NetworkPeer.sameNamespace()] }], props.name);
    }
    this.chargeBudgets();
    checkUniqueNames(this);
  }

  /**
   * Gives an application container a connection: `target: REPLICAS` (or the default, pooled)
   * through pgpool's Service, which sends writes to the primary and balances reads;
   * `target: PRIMARY` with `pooled: false` straight to the primary backend, for code that must
   * read its own writes outside a transaction. `database`, `user` and `password` are required;
   * a pooled user must be one of `users`. Give the second connection its own names
   * (`variablePrefix: 'REPLICA_'`).
   */
  public addConnectionEnv(container: kplus.Container, options: ConnectionEnvOptions): void {
    checkPlusMajor(this, 'addConnectionEnv.container', container);
    const { database, user, password } = options;
    if (database === undefined || user === undefined || password === undefined) {
      throw propError(this, 'addConnectionEnv', { database, user, password: password ? '(Secret)' : undefined }, 'database, user and password are all required');
    }
    const pooled = options.pooled ?? true;
    const target = options.target ?? ConnectionTarget.PRIMARY;
    if (!pooled && target === ConnectionTarget.REPLICAS) {
      throw propError(this, 'addConnectionEnv.pooled', false, 'the replicas are several servers: connect to them through pgpool (pooled: true)');
    }
    if (pooled && !this.props.users.some((u) => u.name === user)) {
      throw propError(this, 'addConnectionEnv.user', user, `one of the pgpool users (${this.props.users.map((u) => u.name).join(', ')}): pgpool needs its password`);
    }
    const primary = this.props.settings.primary;
    addConnectionVariables(this, container, {
      host: pooled ? this.service.name : primary.host,
      port: pooled ? this.port : primary.port ?? 5432,
      database: { literal: database },
      user: { literal: user },
      password: secretValue(password),
    }, options);
  }

  private checkUsers(): number {
    const names = this.props.users.map((u) => u.name);
    for (const name of names) {
      if (!/^[^:\s]+$/.test(name) || name.length > 63) {
        throw propError(this, 'users.name', name, 'a role name without ":" or spaces (pool_passwd is colon-separated), at most 63 characters');
      }
    }
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) throw propError(this, 'users.name', twice, 'each user once');
    const index = names.indexOf(this.props.settings.checkUser);
    if (index < 0) {
      throw propError(this, 'settings.checkUser', this.props.settings.checkUser,
        `one of users (${names.join(', ')}): health and replication checks read its password from pool_passwd`);
    }
    return index;
  }

  private chargeBudgets(): void {
    const backends = [this.props.settings.primary, ...this.props.settings.standbys];
    for (const budget of this.props.connectionBudgets ?? []) {
      const backend = backends.find((b) => budget.host !== undefined
        && b.host.toLowerCase() === budget.host.toLowerCase() && (b.port ?? 5432) === budget.port);
      if (!backend) {
        throw propError(this, 'connectionBudgets', `${budget.host ?? '(no host)'}:${budget.port}`, `the host and port of a backend (${backends.map((b) => `${b.host}:${b.port ?? 5432}`).join(', ')})`);
      }
      budget.addComputedConsumer({
        consumerName: this.node.path,
        connectionShare: () => {
          const each = connectionsPerBackend(this.props.settings);
          return { connections: this.replicas * each, detail: `${this.replicas} pgpool pods × num_init_children × max_pool = ${this.replicas} × ${each}` };
        },
      });
    }
  }
}
