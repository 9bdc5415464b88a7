import { SecretKeyRef } from '../core/secret-ref';

/** TLS material of one end of the pgBackRest TLS connection, from Secrets. */
export interface PgBackRestTls {
  /** This end's certificate (PEM). */
  readonly certificate: SecretKeyRef;
  /** Its private key (PEM). */
  readonly privateKey: SecretKeyRef;
  /** The CA that signed the other end's certificate. */
  readonly ca: SecretKeyRef;
}
