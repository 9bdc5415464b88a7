import { isIP } from 'net';
import { IConstruct } from 'constructs';
import { propError } from '../core/errors';

/** pg_hba.conf connection types of PostgreSQL 15 and later. */
const TYPES = ['local', 'host', 'hostssl', 'hostnossl', 'hostgssenc', 'hostnogssenc'];
/** Methods a Linux build (CloudNativePG's Debian images) accepts; sspi is Windows-only, bsd OpenBSD-only. */
const METHODS = ['trust', 'reject', 'scram-sha-256', 'md5', 'password', 'gss', 'ident', 'peer', 'pam', 'ldap', 'cert'];
/** Each option and the methods it is valid for (`*`: any), as PostgreSQL 15 checks them when it loads the file. */
const OPTIONS: Record<string, string[]> = {
  map: ['ident', 'peer', 'gss', 'cert'],
  clientcert: ['*'],
  clientname: ['*'],
  pamservice: ['pam'],
  pam_use_hostname: ['pam'],
  krb_realm: ['gss'],
  include_realm: ['gss'],
  ...Object.fromEntries(['ldapurl', 'ldapserver', 'ldapport', 'ldapscheme', 'ldaptls', 'ldapprefix', 'ldapsuffix', 'ldapbasedn', 'ldapbinddn', 'ldapsearchattribute', 'ldapsearchfilter'].map((o) => [o, ['ldap']])),
};
/** Options whose value is a secret: in a pg_hba entry it would sit in plain YAML. */
const SECRET_OPTIONS = ['ldapbindpasswd', 'radiussecrets'];
const HOSTNAME = /^\.?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

interface Item { readonly text: string; readonly quoted: boolean }

/**
 * Refuses a pg_hba entry PostgreSQL would not load, or that would become more than one rule: one
 * line, `type database user [address [mask]] method [name=value ...]` with the types, methods and
 * options of PostgreSQL 15+, and no secret option values.
 * @see https://www.postgresql.org/docs/15/auth-pg-hba-conf.html
 */
export function checkPgHbaEntry(scope: IConstruct, prop: string, entry: string): void {
  const refuse = (why: string) => { throw propError(scope, prop, entry, why); };
  const form = 'one pg_hba.conf rule on a single line: "local database user method [options]" or "host database user address method [options]"';
  if (typeof entry !== 'string' || /[\x00-\x1f\x7f]/.test(entry) || /\\\s*$/.test(entry)) refuse(`${form} (no newline, control character or trailing "\\" continuation)`);
  const fields = tokenize(entry) ?? refuse(`${form}; a double quote is not closed`);
  if (fields.length === 0) refuse(form);
  const type = fields[0].map((i) => i.text).join(',');
  if (!TYPES.includes(type)) refuse(`a connection type first: one of ${TYPES.join(', ')} (include directives are not supported)`);
  const local = type === 'local';
  if (fields.length < (local ? 4 : 5)) refuse(local ? form : `${form}; a ${type} rule needs an address`);
  for (const [at, what] of [[1, 'database'], [2, 'user']] as const) {
    if (fields[at].some((i) => !i.quoted && i.text.startsWith('@'))) refuse(`names in the ${what} field, not an @file: the file is not in CloudNativePG's pods`);
  }
  let next = 3;
  if (!local) next = address(fields, refuse);
  const method = fields[next]?.map((i) => i.text).join(',');
  if (!METHODS.includes(method)) refuse(`an authentication method after the ${local ? 'user' : 'address'}: one of ${METHODS.join(', ')}${method === 'radius' ? ' (radius needs radiussecrets, a secret that would be in plain YAML)' : ''}`);
  if (method === 'peer' && !local) refuse('peer authentication only on local rules (use scram-sha-256 for host rules)');
  if (method === 'gss' && local) refuse('gss authentication only on host rules');
  if (method === 'cert' && type !== 'hostssl') refuse('cert authentication only on hostssl rules');
  const options = fields.slice(next + 1).map((f) => f.map((i) => i.text).join(','));
  for (const option of options) {
    const name = option.split('=')[0];
    if (SECRET_OPTIONS.includes(name)) refuse(`no ${name}: its value would be in plain YAML; for LDAP search+bind use the Cluster's spec.postgresql.ldap, whose bindSearchAuth.bindPassword is a Secret reference`);
    const methods = OPTIONS[name];
    if (!option.includes('=') || !methods) refuse(`options as name=value, one of ${Object.keys(OPTIONS).join(', ')}`);
    if (!methods.includes('*') && !methods.includes(method)) refuse(`option ${name} only with method ${methods.join(' or ')}`);
    if ((name === 'clientcert' || name === 'clientname') && type !== 'hostssl') refuse(`option ${name} only on hostssl rules`);
  }
  if (method === 'ldap') {
    const names = options.map((o) => o.split('=')[0]);
    const bind = names.some((n) => ['ldapprefix', 'ldapsuffix'].includes(n));
    const search = names.some((n) => ['ldapbasedn', 'ldapurl', 'ldapbinddn', 'ldapsearchattribute', 'ldapsearchfilter'].includes(n));
    if (bind === search) refuse('ldap with either ldapprefix/ldapsuffix (simple bind) or ldapbasedn/ldapurl (search+bind), not both and not neither');
  }
}

/** Checks the address (and mask) of a host rule; returns the index of the method field. */
function address(fields: Item[][], refuse: (why: string) => never): number {
  const [item, ...rest] = fields[3];
  const text = item.text;
  if (rest.length > 0) refuse('one address per rule (a comma list is not an address)');
  if (!item.quoted && ['all', 'samehost', 'samenet'].includes(text)) return 4;
  const [ip, bits, extra] = text.split('/');
  const family = isIP(ip);
  if (bits !== undefined) {
    const max = family === 4 ? 32 : 128;
    if (family === 0 || extra !== undefined || !/^\d{1,3}$/.test(bits) || Number(bits) > max) refuse('an address as CIDR (10.0.0.0/8, fd00::/8), an IP and a mask, a host name, all, samehost or samenet');
    return 4;
  }
  if (family !== 0) {
    const mask = fields[4]?.[0]?.text ?? '';
    if (isIP(mask) !== family) refuse('an IP address with a CIDR suffix (10.0.0.1/32) or followed by a mask of its family (255.255.255.255)');
    return 5;
  }
  if (!HOSTNAME.test(text) || text.length > 253) refuse('an address as CIDR (10.0.0.0/8, fd00::/8), an IP and a mask, a host name, all, samehost or samenet');
  return 4;
}

/**
 * Splits a rule into fields as PostgreSQL does: whitespace separates fields, a comma continues
 * the field with another item, double quotes protect both ("" is a quote), # starts a comment.
 * Undefined when a quote is left open.
 */
function tokenize(line: string): Item[][] | undefined {
  const fields: Item[][] = [];
  let field: Item[] = [];
  let text = '';
  let quoted = false;
  let inQuote = false;
  let afterComma = false;
  const endItem = () => {
    if (text !== '' || quoted) field.push({ text, quoted });
    text = '';
    quoted = false;
  };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (inQuote) {
      if (ch !== '"') text += ch;
      else if (line[i + 1] === '"') text += line[i++];
      else inQuote = false;
      continue;
    }
    if (ch === '#') break;
    if (/\s/.test(ch)) {
      if (!afterComma && (text !== '' || quoted)) {
        endItem();
        fields.push(field);
        field = [];
      }
      continue;
    }
    if (ch === ',') {
      endItem();
      afterComma = true;
      continue;
    }
    afterComma = false;
    if (ch === '"') {
      inQuote = true;
      quoted = true;
    } else {
      text += ch;
    }
  }
  if (inQuote) return undefined;
  endItem();
  if (field.length > 0) fields.push(field);
  return fields;
}
