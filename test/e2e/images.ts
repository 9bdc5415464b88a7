import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

/** A user of an image's /etc/passwd (the host's file does not know the image's uids). */
export interface ImageUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

/** A directory an image ships (e.g. /var/run/postgresql owned by postgres), fresh in each container. */
export interface ImageDir {
  readonly path: string;
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
}

/**
 * How this harness runs an image with the Debian programs: which programs are on its PATH, what
 * its ENTRYPOINT and CMD are, as whom it runs by default. Images are never pulled.
 */
export interface ImageSpec {
  /** Matches `repository` (any tag) or an exact `repository:tag`. */
  readonly image: string;
  /** Program name on the image's PATH -> host program. */
  readonly programs: Readonly<Record<string, string>>;
  readonly entrypoint?: readonly string[];
  readonly cmd?: readonly string[];
  /** The image's USER (uid); 0 when unset. */
  readonly user?: number;
  readonly group?: number;
  readonly users?: readonly ImageUser[];
  readonly dirs?: readonly ImageDir[];
  /** The image's STOPSIGNAL. @default SIGTERM */
  readonly stopSignal?: NodeJS.Signals;
  /** Files the image has empty where the host has its own (a host config that is not the image's). */
  readonly emptyFiles?: readonly string[];
  /** The image's ENV. */
  readonly env?: Readonly<Record<string, string>>;
  /** Set when the image's own entrypoint (no `command:` given) cannot run here, and why. */
  readonly entrypointCannotRun?: string;
  /** Set when the image cannot run here at all, and why. */
  readonly cannotRun?: string;
  /** Set when every use of the image talks to the Kubernetes API. */
  readonly needsApiServer?: string;
}

const PG_BIN = '/usr/lib/postgresql/15/bin';
const ENTRYPOINTS = path.join(__dirname, 'entrypoints');

/** What any base image (Debian, busybox, alpine) has: a shell and the usual tools. */
const BASE = [
  'sh', 'bash', 'sleep', 'kill', 'cat', 'echo', 'ls', 'mkdir', 'rm', 'rmdir', 'cp', 'mv', 'ln', 'date', 'grep', 'sed', 'awk', 'head', 'tail',
  'test', '[', 'env', 'id', 'chmod', 'chown', 'touch', 'wc', 'tr', 'cut', 'sort', 'uniq', 'printf', 'true', 'false', 'find', 'xargs',
  'tee', 'basename', 'dirname', 'gzip', 'gunzip', 'tar', 'ps', 'hostname', 'mktemp', 'stat', 'readlink', 'uname', 'timeout', 'seq', 'expr',
  'du', 'df', 'whoami', 'nproc', 'md5sum', 'sha256sum', 'pwd', 'sync',
];

function hostProgram(name: string): string | undefined {
  for (const dir of ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
    const full = path.join(dir, name);
    if (fs.existsSync(full)) return full;
  }
  return undefined;
}

function programs(names: readonly string[], extra: Record<string, string> = {}): Record<string, string> {
  const table: Record<string, string> = {};
  for (const name of [...BASE, ...names]) {
    const found = hostProgram(name);
    if (found) table[name] = found;
  }
  return { ...table, ...extra };
}

function postgresPrograms(): Record<string, string> {
  const table: Record<string, string> = {};
  for (const name of fs.existsSync(PG_BIN) ? fs.readdirSync(PG_BIN) : []) table[name] = path.join(PG_BIN, name);
  return table;
}

/**
 * The postgres image's LANG (en_US.utf8, which the image generates). The programs use the host's
 * locales: where the host lacks it, C.UTF-8 (initdb fails on a locale that does not exist).
 */
const IMAGE_LANG = /^en_US\.utf-?8$/im.test(spawnSync('/usr/bin/locale', ['-a'], { encoding: 'utf8' }).stdout ?? '') ? 'en_US.utf8' : 'C.UTF-8';

const POSTGRES_USER: ImageUser = { name: 'postgres', uid: 999, gid: 999, home: '/var/lib/postgresql' };

/**
 * The images the library pins (src/core/image.ts ImageCatalog), by repository. Tags are not
 * compared: the Debian package is the version the catalog's comment names.
 */
export const BUILT_IN_IMAGES: readonly ImageSpec[] = [
  {
    // docker-library/postgres: entrypoint initdb's an empty PGDATA, runs /docker-entrypoint-initdb.d, then postgres as uid 999.
    image: 'docker.io/library/postgres',
    programs: programs(['gzip', 'openssl', 'curl'], { ...postgresPrograms(), 'docker-entrypoint.sh': path.join(ENTRYPOINTS, 'postgres.sh') }),
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['postgres'],
    stopSignal: 'SIGINT',
    users: [POSTGRES_USER],
    dirs: [
      { path: '/var/run/postgresql', uid: 999, gid: 999, mode: 0o3777 },
      { path: '/var/lib/postgresql/data', uid: 999, gid: 999, mode: 0o777 },
    ],
    env: { PGDATA: '/var/lib/postgresql/data', LANG: IMAGE_LANG, PG_MAJOR: '15' },
  },
  {
    image: 'ghcr.io/cloudnative-pg/postgresql',
    programs: programs([], postgresPrograms()),
    users: [{ name: 'postgres', uid: 26, gid: 26, home: '/var/lib/postgresql' }],
    dirs: [{ path: '/var/run/postgresql', uid: 26, gid: 26, mode: 0o3777 }],
    user: 26,
    group: 26,
    entrypointCannotRun: 'the CloudNativePG operand image is started by the operator (instance manager)',
  },
  {
    image: 'ghcr.io/cloudnative-pg/pgbouncer',
    programs: programs(['pgbouncer']),
    entrypoint: ['pgbouncer', '/etc/pgbouncer/pgbouncer.ini'],
    user: 998,
    group: 998,
    users: [{ name: 'pgbouncer', uid: 998, gid: 998, home: '/' }],
  },
  {
    // woblerr/pgbackrest: /entrypoint.sh execs its arguments; CMD prints the version.
    image: 'docker.io/woblerr/pgbackrest',
    programs: programs(['pgbackrest', 'openssl', 'ssh'], { 'entrypoint.sh': path.join(ENTRYPOINTS, 'exec.sh') }),
    entrypoint: ['entrypoint.sh'],
    cmd: ['pgbackrest', 'version'],
    users: [{ name: 'pgbackrest', uid: 2001, gid: 2001, home: '/home/pgbackrest' }, POSTGRES_USER],
    dirs: [
      { path: '/var/log/pgbackrest', uid: 2001, gid: 2001, mode: 0o770 },
      { path: '/var/lib/pgbackrest', uid: 2001, gid: 2001, mode: 0o770 },
      { path: '/var/spool/pgbackrest', uid: 2001, gid: 2001, mode: 0o770 },
      { path: '/tmp/pgbackrest', uid: 2001, gid: 2001, mode: 0o770 },
    ],
    // Debian's /etc/pgbackrest.conf (0640, the host's postgres) is the host's, not the image's; a
    // remote started by `pgbackrest server` reads the default config and would fail on it.
    emptyFiles: ['/etc/pgbackrest.conf'],
  },
  {
    image: 'quay.io/prometheuscommunity/postgres-exporter',
    programs: programs([], { postgres_exporter: '/usr/bin/prometheus-postgres-exporter' }),
    entrypoint: ['postgres_exporter'],
    user: 65534,
    group: 65534,
  },
  {
    image: 'quay.io/prometheuscommunity/pgbouncer-exporter',
    programs: {},
    cannotRun: 'no Debian package of pgbouncer_exporter (Debian\'s prometheus-pgbouncer-exporter is another program with other flags)',
  },
  {
    image: 'ghcr.io/zalando/spilo-15',
    programs: programs(['patroni', 'pgbackrest', 'curl'], postgresPrograms()),
    users: [{ name: 'postgres', uid: 101, gid: 103, home: '/home/postgres' }],
    dirs: [{ path: '/var/run/postgresql', uid: 101, gid: 103, mode: 0o3777 }],
    user: 101,
    group: 103,
    entrypointCannotRun: 'Spilo\'s entrypoint configures Patroni with the Kubernetes DCS: needs an API server',
  },
  {
    image: 'docker.io/pgpool/pgpool',
    programs: programs(['pgpool', 'pcp_attach_node', 'pcp_node_info', 'pg_md5', 'pg_enc'], postgresPrograms()),
    users: [POSTGRES_USER],
    entrypointCannotRun: 'the pgpool image\'s start script (configuration from PGPOOL_* env) is not emulated',
  },
  {
    image: 'docker.io/alpine/k8s',
    programs: programs(['kubectl', 'jq', 'curl']),
    needsApiServer: 'kubectl talks to the Kubernetes API',
  },
  {
    // curlimages/curl: the entrypoint runs curl when the first argument is an option, else execs it.
    image: 'docker.io/curlimages/curl',
    programs: programs(['curl'], { 'entrypoint.sh': path.join(ENTRYPOINTS, 'curl.sh') }),
    entrypoint: ['entrypoint.sh'],
    cmd: ['curl'],
    user: 100,
    group: 101,
    users: [{ name: 'curl_user', uid: 100, gid: 101, home: '/home/curl_user' }],
  },
];

/** Normalises `postgres:15` to `docker.io/library/postgres:15`, as a container runtime does. */
export function normaliseReference(reference: string): { repository: string; tag: string } {
  const [name] = reference.split('@');
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  let repository = hasTag ? name.slice(0, colon) : name;
  const tag = hasTag ? name.slice(colon + 1) : 'latest';
  const first = repository.split('/')[0];
  if (!repository.includes('/')) repository = `docker.io/library/${repository}`;
  else if (!first.includes('.') && !first.includes(':') && first !== 'localhost') repository = `docker.io/${repository}`;
  return { repository, tag };
}

/** The spec of `reference`: user images (--images) first, then the built-in table. */
export function findImage(reference: string, table: readonly ImageSpec[]): ImageSpec | undefined {
  const { repository, tag } = normaliseReference(reference);
  const keyOf = (spec: ImageSpec) => normaliseReference(spec.image.includes(':') ? spec.image : `${spec.image}:*`);
  return table.find((s) => keyOf(s).repository === repository && keyOf(s).tag === tag)
    ?? table.find((s) => keyOf(s).repository === repository && keyOf(s).tag === '*');
}

/**
 * Reads a `--images` file: a YAML list of images a user adds, e.g.
 * `- {image: registry.example.com/web, entrypoint: [sh, -c, "psql -c 'select 1'"], programs: [psql, python3], user: 1000}`.
 * `programs` lists names found on the host (or a map of name to host path, relative to the file's directory).
 */
export function loadImageFile(file: string): ImageSpec[] {
  const doc = YAML.parse(fs.readFileSync(file, 'utf8'));
  const list = Array.isArray(doc) ? doc : doc?.images;
  if (!Array.isArray(list)) throw new Error(`${file}: expected a YAML list of images (or {images: [...]})`);
  return list.map((entry: any, i: number) => {
    if (typeof entry?.image !== 'string') throw new Error(`${file}: entry ${i} has no "image"`);
    const named: Record<string, string> = {};
    if (Array.isArray(entry.programs)) {
      for (const name of entry.programs) {
        const found = name === 'psql' || fs.existsSync(path.join(PG_BIN, name)) ? path.join(PG_BIN, name) : hostProgram(name);
        if (!found) throw new Error(`${file}: image ${entry.image} lists program ${name}, which is not installed here`);
        named[name] = found;
      }
    }
    return {
      image: entry.image,
      // A map's relative paths (e.g. one of this harness' entrypoints) are relative to the images file.
      programs: programs([], {
        ...named,
        ...(Array.isArray(entry.programs) ? {} : Object.fromEntries(Object.entries(entry.programs ?? {})
          .map(([name, target]) => [name, path.resolve(path.dirname(file), String(target))]))),
      }),
      entrypoint: entry.entrypoint,
      cmd: entry.cmd,
      user: entry.user,
      group: entry.group,
      env: entry.env,
      users: entry.users,
      dirs: entry.dirs,
    };
  });
}
