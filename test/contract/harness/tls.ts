import * as path from 'path';
import { run } from './processes';

export interface TestPki {
  readonly caFile: string;
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  readonly clientCommonName: string;
}

/**
 * A throwaway CA with a server certificate for `localhost` and a client certificate, written
 * into `dir` by openssl as the service user (keys 0600, readable by the programs under test).
 */
export function makeTestPki(dir: string, clientCommonName = 'pgbackrest-client'): TestPki {
  const f = (name: string) => path.join(dir, name);
  const openssl = (args: string[]) => run('/usr/bin/openssl', args, { cwd: dir });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=test-ca', '-keyout', f('ca.key'), '-out', f('ca.crt')]);
  const issue = (name: string, cn: string, extension: string) => {
    run('/bin/sh', ['-c', `printf '%s\\n' '${extension}' > ${f(`${name}.ext`)}`]);
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`)]);
    openssl(['x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2',
      '-out', f(`${name}.crt`), '-extfile', f(`${name}.ext`)]);
  };
  issue('server', 'localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1');
  issue('client', clientCommonName, 'extendedKeyUsage=clientAuth');
  return {
    caFile: f('ca.crt'),
    serverCertFile: f('server.crt'),
    serverKeyFile: f('server.key'),
    clientCertFile: f('client.crt'),
    clientKeyFile: f('client.key'),
    clientCommonName,
  };
}
