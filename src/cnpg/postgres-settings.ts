import { ImageCatalogReference } from './cnpg-cluster-props';
import { ContainerImage } from '../core/image';

/**
 * One PostgreSQL parameter as a server of one major version reports it in `pg_settings`
 * (generated into src/cnpg/gucs/ by scripts/generate-gucs.ts).
 */
export interface PostgresSetting {
  readonly name: string;
  /** `bool`, `integer`, `real`, `string` or `enum` (pg_settings.vartype). */
  readonly type: string;
  /** `internal` ones are computed by the server and cannot be set. */
  readonly context: string;
  /** Base unit (`kB`, `8kB`, `MB`, `B`, `ms`, `s`, `min`); values without a unit are in it. */
  readonly unit?: string;
  readonly min?: number;
  readonly max?: number;
  /** Values of an enum, as pg_settings lists them. */
  readonly values?: readonly string[];
  /** Spellings the server takes but hides from pg_settings (`synchronous_commit = yes`). */
  readonly aliases?: readonly string[];
}

/** The parameters of one major version, keyed by lower-cased name (PostgreSQL ignores case). */
export interface PostgresSettings {
  readonly major: number;
  /** The release the list was read from, e.g. "15.18". */
  readonly version: string;
  readonly byName: ReadonlyMap<string, PostgresSetting>;
}

/** Majors with a generated list, oldest first. */
export const KNOWN_MAJORS: readonly number[] = [13, 14, 15, 16, 17, 18];

const loaded = new Map<number, PostgresSettings>();

/** The parameters of `major` (one of KNOWN_MAJORS), read from its generated list on first use. */
export function postgresSettings(major: number): PostgresSettings {
  let settings = loaded.get(major);
  if (!settings) {
    const { VERSION, SETTINGS } = loadList(major);
    settings = { major, version: VERSION, byName: new Map(SETTINGS.split('\n').map(parseLine).map((s) => [s.name.toLowerCase(), s])) };
    loaded.set(major, settings);
  }
  return settings;
}

/* eslint-disable @typescript-eslint/no-require-imports -- required on first use, so importing the library parses no list */
function loadList(major: number): { VERSION: string; SETTINGS: string } {
  switch (major) {
    case 13: return require('./gucs/pg13');
    case 14: return require('./gucs/pg14');
    case 15: return require('./gucs/pg15');
    case 16: return require('./gucs/pg16');
    case 17: return require('./gucs/pg17');
    case 18: return require('./gucs/pg18');
    default: throw new Error(`no parameter list for PostgreSQL ${major}; known: ${KNOWN_MAJORS.join(', ')}`);
  }
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** Reads `name;type;context;unit;min;max;values;aliases` (trailing empty fields omitted). */
function parseLine(line: string): PostgresSetting {
  const [name, type, context, unit, min, max, values, aliases] = line.split(';');
  return {
    name,
    type,
    context,
    ...(unit ? { unit } : {}),
    ...(min ? { min: Number(min), max: Number(max) } : {}),
    ...(values ? { values: values.split(',') } : {}),
    ...(aliases ? { aliases: aliases.split(',') } : {}),
  };
}

/** The major whose list checks a cluster's parameters, and how it was found. */
export interface TargetMajor {
  readonly major: number;
  /** Said after an error when the major is a guess: what the guess rests on. */
  readonly caveat: string;
}

/**
 * The PostgreSQL major of a cluster: `imageCatalog.major`, or the leading number of the image
 * tag (`16.4-standard-bookworm`, `17`, `15.18-202501`). A tag without one (a custom image)
 * is checked against the newest major the library knows, and the error says so; a major outside
 * the known ones is checked against the nearest known one.
 */
export function targetMajor(image?: ContainerImage, catalog?: ImageCatalogReference): TargetMajor {
  const newest = KNOWN_MAJORS[KNOWN_MAJORS.length - 1];
  const fromTag = image ? /^(\d+)(?:[.-]|$)/.exec(image.tag)?.[1] : undefined;
  const wanted = catalog?.major ?? (fromTag !== undefined ? Number(fromTag) : undefined);
  const source = catalog ? `imageCatalog.major ${catalog.major}` : `image tag "${image?.tag}"`;
  if (wanted === undefined || wanted < 9 || wanted > 99) {
    return { major: newest, caveat: ` (${source} names no PostgreSQL major: checked against PostgreSQL ${newest}, the newest the library knows; use a tag starting with the major, e.g. "16.4", or imageCatalog)` };
  }
  if (KNOWN_MAJORS.includes(wanted)) return { major: wanted, caveat: '' };
  const nearest = wanted > newest ? newest : KNOWN_MAJORS[0];
  return { major: nearest, caveat: ` (the library has no parameter list for PostgreSQL ${wanted}, from ${source}: checked against PostgreSQL ${nearest})` };
}
