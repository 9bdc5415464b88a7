import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { ConnectionEnvOptions, ConnectionUrlStyle, ConnectionVariables } from './connection-env';
import { propError } from './errors';
import { SecretKeyRef } from './secret-ref';

/** A value the container receives: written in the YAML, or read from a Secret by the kubelet. */
export type ConnectionValue = { readonly literal: string } | { readonly secret: kplus.ISecret; readonly key: string };

/** Where a construct's connection leads, resolved by the construct from the options. */
export interface ConnectionEndpoint {
  readonly host: string;
  readonly port: number;
  readonly database: ConnectionValue;
  readonly user: ConnectionValue;
  readonly password: ConnectionValue;
}

/** `SecretKeyRef` as a connection value. */
export function secretValue(ref: SecretKeyRef): ConnectionValue {
  return { secret: ref.secret, key: ref.key };
}

/**
 * Adds the connection variables to `container`, refusing any name the container already has
 * (a second connection would silently replace the first) or that this connection would set
 * twice.
 */
export function addConnectionVariables(
  scope: IConstruct,
  container: kplus.Container,
  endpoint: ConnectionEndpoint,
  options: ConnectionEnvOptions = {},
): void {
  const names = variableNames(scope, options);
  const list = [names.host, names.port, names.database, names.user, names.password, names.url];
  const twice = list.find((name, i) => list.indexOf(name) !== i);
  if (twice) throw propError(scope, 'addConnectionEnv.variables', twice, 'two variables of one connection have this name: give each its own');
  const existing = container.env.variables;
  const taken = list.filter((name) => existing[name] !== undefined);
  if (taken.length > 0) {
    throw propError(scope, 'addConnectionEnv', taken.join(', '), `container "${container.name}" already has ${taken.length > 1 ? 'these variables' : 'this variable'} `
      + '(an earlier connection?): give this connection its own names with variablePrefix (e.g. "REPLICA_") or variables');
  }
  const add = (name: string, value: ConnectionValue) => container.env.addVariable(name, 'literal' in value
    ? kplus.EnvValue.fromValue(value.literal)
    : kplus.EnvValue.fromSecretValue({ secret: value.secret, key: value.key }));
  // $(VAR) refers only to variables defined earlier in the list: the parts come first.
  add(names.host, { literal: endpoint.host });
  add(names.port, { literal: String(endpoint.port) });
  add(names.database, endpoint.database);
  add(names.user, endpoint.user);
  add(names.password, endpoint.password);
  add(names.url, { literal: connectionUrl(endpoint, names, options.urlStyle ?? ConnectionUrlStyle.POSTGRESQL) });
}

type Names = Required<ConnectionVariables>;

function variableNames(scope: IConstruct, options: ConnectionEnvOptions): Names {
  const prefix = options.variablePrefix ?? '';
  const given = options.variables ?? {};
  const names: Names = {
    url: given.url ?? `${prefix}DATABASE_URL`,
    host: given.host ?? `${prefix}PGHOST`,
    port: given.port ?? `${prefix}PGPORT`,
    database: given.database ?? `${prefix}PGDATABASE`,
    user: given.user ?? `${prefix}PGUSER`,
    password: given.password ?? `${prefix}PGPASSWORD`,
  };
  for (const [field, name] of Object.entries(names)) {
    // The kubelet expands $(NAME) only for C identifiers; anything else stays literal in the URL.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      const prop = given[field as keyof ConnectionVariables] !== undefined ? `addConnectionEnv.variables.${field}` : 'addConnectionEnv.variablePrefix';
      throw propError(scope, prop, name, 'expected a variable name of letters, digits and "_", not starting with a digit');
    }
  }
  return names;
}

function connectionUrl(endpoint: ConnectionEndpoint, names: Names, style: ConnectionUrlStyle): string {
  const part = (value: ConnectionValue, variable: string) => ('literal' in value ? encodeURIComponent(value.literal) : `$(${variable})`);
  const database = part(endpoint.database, names.database);
  const user = part(endpoint.user, names.user);
  const password = part(endpoint.password, names.password);
  const address = `${endpoint.host}:${endpoint.port}`;
  if (style === ConnectionUrlStyle.JDBC) return `jdbc:postgresql://${address}/${database}?user=${user}&password=${password}`;
  return `postgresql://${user}:${password}@${address}/${database}`;
}
