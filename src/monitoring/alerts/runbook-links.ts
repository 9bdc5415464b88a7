import * as fs from 'fs';
import * as path from 'path';
import { propError } from '../../core/errors';

/** The package root: the same relative path from src/monitoring/alerts and lib/monitoring/alerts. */
const PACKAGE_ROOT = path.join(__dirname, '..', '..', '..');
const PLACEHOLDER = /\{([^{}]*)\}/g;
const PLACEHOLDERS = ['alert', 'family'];

/** Options of `RunbookLinks.baseUrl()`. */
export interface RunbookBaseUrlOptions {
  /**
   * Appended to the alert name, e.g. `.md` for markdown files in a repository, `.html` for a
   * static site, or `""` for a wiki whose pages are named after the alerts.
   * @default ".md"
   */
  readonly suffix?: string;
}

/**
 * Where each alert's `runbook_url` annotation points. By default, at the alert's runbook in the
 * npm package this library was installed from (the `runbooks/` folder, one markdown file per
 * alert); copy those files to your own wiki or repository and point the catalog there.
 */
export class RunbookLinks {
  /**
   * The runbooks shipped in this package, served by unpkg at the installed version, e.g.
   * `https://unpkg.com/cdk8s-pg-reliability@1.2.3/runbooks/PostgresInstanceDown.md`. An alert
   * without a runbook in the package (your own alerts) gets no link.
   */
  public static packaged(): RunbookLinks {
    const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
    const base = `https://unpkg.com/${pkg.name}@${pkg.version}/runbooks`;
    return new RunbookLinks((alert) => (shippedRunbooks().has(alert) ? `${base}/${alert}.md` : undefined));
  }

  /**
   * Runbooks at `<url>/<alert><suffix>`, e.g. `RunbookLinks.baseUrl('https://github.com/acme/ops/blob/main/runbooks')`
   * for a copy of the package's runbooks in your repository.
   */
  public static baseUrl(url: string, options: RunbookBaseUrlOptions = {}): RunbookLinks {
    checkUrl('RunbookLinks.baseUrl', 'url', url);
    const suffix = options.suffix ?? '.md';
    if (typeof suffix !== 'string' || /[\s{}]/.test(suffix)) throw propError('RunbookLinks.baseUrl', 'suffix', suffix, 'a file suffix without spaces or braces, e.g. ".md" or ""');
    const base = url.replace(/\/+$/, '');
    return new RunbookLinks((alert) => `${base}/${alert}${suffix}`);
  }

  /**
   * Runbooks at a URL of your own shape: `{alert}` is replaced by the alert name and `{family}`
   * by its family (`availability`, `backups`, ...), e.g. `https://wiki.example.com/db/{family}#{alert}`.
   */
  public static template(template: string): RunbookLinks {
    const unknown = [...String(template).matchAll(PLACEHOLDER)].map((m) => m[1]).filter((name) => !PLACEHOLDERS.includes(name));
    if (unknown.length > 0) throw propError('RunbookLinks.template', 'template', template, `placeholders {alert} and {family} only (got {${unknown[0]}})`);
    if (!String(template).includes('{alert}')) throw propError('RunbookLinks.template', 'template', template, 'a URL with an {alert} placeholder, so each alert links to its own runbook');
    checkUrl('RunbookLinks.template', 'template', template.replace(PLACEHOLDER, 'x'));
    return new RunbookLinks((alert, family) => template.replace(PLACEHOLDER, (_m, name: string) => encodeURIComponent(name === 'alert' ? alert : family)));
  }

  private constructor(private readonly link: (alert: string, family: string) => string | undefined) {}

  /** The runbook link of `alert` of `family`, or undefined when there is none. */
  public urlFor(alert: string, family: string): string | undefined {
    return this.link(alert, family);
  }
}

let shipped: ReadonlySet<string> | undefined;

/** The alerts with a runbook in the package, read once (every alert of every copy asks). */
function shippedRunbooks(): ReadonlySet<string> {
  const dir = path.join(PACKAGE_ROOT, 'runbooks');
  shipped ??= new Set(fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -'.md'.length)) : []);
  return shipped;
}

/** An absolute http(s) URL without whitespace (it lands in an annotation and a notification). */
function checkUrl(where: string, prop: string, url: string): void {
  let ok = false;
  try {
    ok = typeof url === 'string' && !/\s/.test(url) && ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    ok = false;
  }
  if (!ok) throw propError(where, prop, url, 'an absolute http or https URL, e.g. "https://wiki.example.com/runbooks"');
}
