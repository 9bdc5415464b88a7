import { isIP } from 'net';

/**
 * sslmode values postgres_exporter 0.11 can use: it connects with lib/pq, which refuses libpq's
 * `prefer` and `allow` ("unsupported sslmode"), so the exporter would report `pg_up 0` forever.
 * @see https://pkg.go.dev/github.com/lib/pq#hdr-Connection_String_Parameters
 */
export const EXPORTER_SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'];

const LOOPBACK = ['localhost', '127.0.0.1', '::1'];

/** A DNS name of RFC 1123 labels (what a Service or pod host name is). */
const DNS_NAME = /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/;

/** Why `host` is neither a DNS name nor an IP address, or undefined. */
export function hostProblem(host: string): string | undefined {
  // A zone ID ("fe80::1%eth0") would need escaping in the URI and means nothing in a pod network.
  if ((isIP(host) !== 0 && !host.includes('%')) || DNS_NAME.test(host)) return undefined;
  return 'a DNS name (e.g. "app-db-rw.db.svc"), an IPv4 address or an IPv6 address without brackets; nothing else reaches the connection URI';
}

/** The sslmode used when none is given: none over loopback (a sidecar), TLS required otherwise. */
export function defaultSslMode(host: string): string {
  return LOOPBACK.includes(host) ? 'disable' : 'require';
}

/**
 * `DATA_SOURCE_URI`: postgres_exporter prefixes `postgresql://<user>:<password>@` (both escaped
 * by it). Every part here is validated or escaped, so no host or database name can add URI
 * parameters of its own; an IPv6 address is bracketed as RFC 3986 requires.
 */
export function dataSourceUri(host: string, port: number, database: string, sslMode: string): string {
  const authority = isIP(host) === 6 ? `[${host}]` : host;
  return `${authority}:${port}/${encodeURIComponent(database)}?sslmode=${encodeURIComponent(sslMode)}`;
}
