import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { PgBouncerSettings } from './pgbouncer-settings';
import { ConnectionEnvOptions } from '../core/connection-env';
import { addConnectionVariables, secretValue } from '../core/connection-variables';
import { propError } from '../core/errors';
import { checkPlusMajor } from '../core/plus-objects';

/** Where an application reaches a PgBouncer: localhost for a sidecar, the Service for a Deployment. */
export interface PgBouncerAddress {
  readonly host: string;
  readonly port: number;
  /** The pooler's `[databases]`, including entries added after construction. */
  readonly settings: () => PgBouncerSettings;
}

/**
 * Wires `container` to a PgBouncer (the `addConnectionEnv` of the sidecar and the Deployment).
 * A PgBouncer has no application database, user or password of its own, so all three are
 * required; and it reaches whichever server each `[databases]` entry names, so it has no
 * replicas to target and no unpooled path.
 */
export function addPgBouncerConnection(
  scope: IConstruct,
  address: PgBouncerAddress,
  container: kplus.Container,
  options: ConnectionEnvOptions,
): void {
  checkPlusMajor(scope, 'addConnectionEnv.container', container);
  // Compared by role, not identity: a second copy of the library has its own PRIMARY.
  if (options.target !== undefined && options.target.role !== 'primary') {
    throw propError(scope, 'addConnectionEnv.target', options.target.role, 'a PgBouncer has no replicas of its own: it forwards each [databases] entry to the server '
      + 'that entry names. Connect to an entry that points to a replica (its database name selects it), and leave target unset');
  }
  if (options.pooled === false) {
    throw propError(scope, 'addConnectionEnv.pooled', false, 'a connection through a PgBouncer is always pooled: for a direct connection use the '
      + 'server\'s own addConnectionEnv (e.g. CnpgCluster) or its Service, and leave pooled unset here');
  }
  const { database, user, password } = options;
  if (database === undefined) throw propError(scope, 'addConnectionEnv.database', undefined, 'required for a PgBouncer: give the database as its [databases] lists it');
  if (user === undefined) throw propError(scope, 'addConnectionEnv.user', undefined, 'required for a PgBouncer: give the user the application logs in as');
  if (password === undefined) throw propError(scope, 'addConnectionEnv.password', undefined, 'required for a PgBouncer: give that user\'s password as a SecretKeyRef');
  checkPlusMajor(scope, 'addConnectionEnv.password.secret', password.secret);
  const databases = address.settings().databases;
  if (!databases.some((db) => db.name === database || db.name === '*')) {
    throw propError(scope, 'addConnectionEnv.database', database, `not in this pooler's [databases]; known: ${databases.map((db) => db.name).join(', ')}`);
  }
  addConnectionVariables(scope, container, {
    host: address.host,
    port: address.port,
    database: { literal: database },
    user: { literal: user },
    password: secretValue(password),
  }, options);
}
