import { IConstruct } from 'constructs';
import { propError } from '../core/errors';

/**
 * `PASSWORD` (also `ENCRYPTED PASSWORD`, `password = `, an option `password '...'`) followed by a
 * string literal of any SQL quoting ('...', E'...', U&'...', $$...$$, $tag$...$tag$), and
 * `password=` inside a libpq connection string (dblink, postgres_fdw).
 */
const PASSWORD_LITERAL = /\bpassword\s*(=\s*)?(E|U&)?('|\$[A-Za-z_0-9]*\$)|\bpassword\s*=\s*[^\s'"=,;)]/i;

/**
 * Refuses SQL that carries a password: CloudNativePG keeps these statements in the Cluster
 * object, so the password would be in the YAML, in Git and readable by anyone who can read the
 * Cluster. The message never repeats the statement's literal.
 * @see https://cloudnative-pg.io/documentation/current/declarative_role_management/
 */
export function checkNoPasswordLiteral(scope: IConstruct, prop: string, sql: string): void {
  const match = PASSWORD_LITERAL.exec(sql);
  if (!match) return;
  throw propError(scope, prop, `${sql.slice(0, match.index)}${match[0].replace(/[^\s=(]+$/, '')}<redacted>`,
    'no password literals in SQL (the statement is stored in the Cluster object, so the password would be in plain YAML): '
    + 'give roles their password with managedRoles and a passwordSecret, or keep the statement in a Secret and pass it as postInitApplicationSqlRefs');
}

/**
 * Refuses a URL with credentials: user-info (`user:password@`) or a signed query (`sig=`,
 * `X-Amz-Credential=`, `token=`, ...); the ObjectStore is plain YAML. The message shows the URL
 * with those parts redacted.
 */
export function checkNoUrlCredentials(scope: IConstruct, prop: string, url: string | undefined): void {
  if (url === undefined) return;
  const userInfo = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i.exec(url);
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const signed = query.split('&').some((pair) => /sig|signature|credential|token|secret|password|key/i.test(pair.split('=')[0]));
  if (!userInfo && !signed) return;
  const redacted = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1<credentials>@').replace(/\?.*$/, signed ? '?<redacted>' : '$&');
  throw propError(scope, prop, redacted, 'no credentials in the URL (the ObjectStore is plain YAML): give them from a Secret with ObjectStoreCredentials (s3, gcs, azure) or the pod\'s IAM role');
}
