import { Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { annotateConfigHash } from './config-hash';
import { propError } from './errors';
import { checkPlusMajor } from './plus-objects';
import { checkAbsolutePath } from './prop-checks';
import { renderPostgresConf } from './render/postgres-conf';
import { RenderError } from './render/value';

/**
 * One PostgreSQL parameter as PostgreSQL reads it, e.g. `{ name: 'wal_level', value: 'replica' }`
 * or `{ name: 'shared_buffers', value: '2GB' }`. The value is written unquoted here; renderers
 * quote it for the file they write.
 */
export interface PostgresSetting {
  /** The parameter name, e.g. `archive_command` or `pg_stat_statements.max`. */
  readonly name: string;
  /** The value as PostgreSQL takes it, units included (`'30s'`, `'1GB'`, `'on'`). */
  readonly value: string;
}

/** Props of a `PostgresConfig`. */
export interface PostgresConfigProps {
  /**
   * The settings; more can be added with `addSettings`.
   * @default - none besides `listen_addresses`
   */
  readonly settings?: PostgresSetting[];
  /**
   * Where the file is mounted in the database container.
   * @default "/etc/postgresql"
   */
  readonly directory?: string;
  /**
   * `listen_addresses`: the official images listen on every address through the
   * `postgresql.conf` initdb writes, which this file replaces.
   * @default "*"
   */
  readonly listenAddresses?: string;
}

/**
 * A `postgresql.conf` in a ConfigMap, rendered from typed settings (the library's WAL archiving,
 * recovery and pg_stat_statements settings among them) with PostgreSQL's quoting, and mounted
 * into the database container. Start PostgreSQL with `args` so it reads the file; a change to
 * the settings changes the pod template's config hash and rolls the pods.
 *
 * @example
 * const conf = new PostgresConfig(this, 'Conf', { settings: WalArchiving.postgresSettings({ ... }) });
 * const db = sts.addContainer({ image: 'postgres:16.4', args: conf.args });
 * conf.mount(sts, db);
 */
export class PostgresConfig extends Construct {
  /** The ConfigMap holding `postgresql.conf`. */
  public readonly configMap: kplus.ConfigMap;
  /** The path PostgreSQL reads the file from. */
  public readonly configFile: string;
  /** The arguments that make `postgres` read the file: `-c config_file=<configFile>`. */
  public readonly args: string[];
  private readonly directory: string;
  private readonly settings: PostgresSetting[] = [];

  constructor(scope: Construct, id: string, props: PostgresConfigProps = {}) {
    super(scope, id);
    this.directory = props.directory ?? '/etc/postgresql';
    checkAbsolutePath(this, 'directory', this.directory);
    this.configFile = `${this.directory}/postgresql.conf`;
    this.args = ['-c', `config_file=${this.configFile}`];
    const listen = (props.settings ?? []).find((setting) => setting.name === 'listen_addresses');
    if (listen) throw propError(this, 'settings.listen_addresses', listen.value, 'set it with the listenAddresses prop (default "*")');
    this.addSettings(...[{ name: 'listen_addresses', value: props.listenAddresses ?? '*' }, ...(props.settings ?? [])]);
    this.configMap = new kplus.ConfigMap(this, 'Resource');
    this.configMap.addData('postgresql.conf', Lazy.any({ produce: () => this.render() }) as unknown as string);
  }

  /** Adds settings; a parameter set twice is an error (PostgreSQL would silently keep the last). */
  public addSettings(...settings: PostgresSetting[]): void {
    for (const setting of settings) {
      const twice = this.settings.find((s) => s.name === setting.name);
      if (twice) {
        throw propError(this, `settings.${setting.name}`, setting.value, `already set to ${JSON.stringify(twice.value)}: set each parameter once`);
      }
      try {
        renderPostgresConf('postgresql.conf', [{ key: setting.name, value: setting.value }]);
      } catch (error) {
        if (error instanceof RenderError) throw propError(this, `settings.${setting.name}`, setting.value, error.message);
        throw error;
      }
      this.settings.push(setting);
    }
  }

  /**
   * Mounts the file read-only into `container` of `workload` at `directory`, and makes the pods
   * roll when the settings change.
   */
  public mount(workload: kplus.Workload, container: kplus.Container): void {
    checkPlusMajor(this, 'mount.workload', workload);
    checkPlusMajor(this, 'mount.container', container);
    if (![...workload.containers, ...workload.initContainers].includes(container)) {
      throw propError(this, 'mount.container', container.name ?? '(unnamed)', 'a container of the workload given: the file and the config hash belong to one pod');
    }
    if (container.mounts.some((m) => m.path === this.directory)) {
      throw propError(this, 'mount.container', container.name ?? '(unnamed)', `it already mounts ${this.directory}: mount the config once per container`);
    }
    const volume = (this.node.tryFindChild('Volume') as kplus.Volume | undefined)
      ?? kplus.Volume.fromConfigMap(this, 'Volume', this.configMap, { name: 'postgresql-conf' });
    container.mount(this.directory, volume, { readOnly: true });
    annotateConfigHash(workload.podMetadata, () => [this.render()]);
  }

  /** The file as it will be synthesized. */
  public render(): string {
    return renderPostgresConf('postgresql.conf', this.settings.map((s) => ({ key: s.name, value: s.value })));
  }
}
