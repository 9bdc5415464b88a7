import { createHash } from 'crypto';
import { IConstruct } from 'constructs';
import { propError } from './errors';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Joins parts into a valid DNS-1123 label (lower case, `-`, at most 63 characters). Characters
 * outside the alphabet become `-`; a name that has to be shortened keeps a short hash of the
 * whole so two long names stay distinct, and the result is the same on every synth.
 */
export function dnsLabel(...parts: string[]): string {
  const joined = parts.join('-').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  if (joined.length <= 63 && joined !== '') return joined;
  const hash = createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 8);
  return `${joined.slice(0, 54).replace(/-$/, '')}-${hash}`.replace(/^-/, '');
}

/** Throws the library's prop error unless `value` is a DNS-1123 label (Service, port and container names). */
export function assertDnsLabel(scope: IConstruct, prop: string, value: string): void {
  if (value.length > 63 || !DNS_LABEL.test(value)) {
    throw propError(scope, prop, value, 'expected a DNS-1123 label: at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit');
  }
}

/** Throws unless `value` is a DNS-1123 subdomain (most object names). */
export function assertDnsSubdomain(scope: IConstruct, prop: string, value: string): void {
  if (value.length > 253 || !value.split('.').every((label) => DNS_LABEL.test(label))) {
    throw propError(scope, prop, value, 'expected a DNS-1123 subdomain: at most 253 characters of lower-case labels joined by "."');
  }
}

/**
 * Throws unless `value` is a DNS-1035 label of at most `maxLength` characters: the form of a
 * Service name (it starts with a letter), and of names other objects lend to their Services.
 */
export function assertServiceName(scope: IConstruct, prop: string, value: string, maxLength = 63): void {
  if (value.length > maxLength || !DNS_LABEL.test(value) || !/^[a-z]/.test(value)) {
    throw propError(scope, prop, value, `expected a DNS-1035 label: at most ${maxLength} lower-case letters, digits and "-", starting with a letter and ending with a letter or digit`);
  }
}
