import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { barmanConfiguration } from './barman-configuration';
import { CnpgObjectStoreProps, ICnpgObjectStore } from './object-store-props';
import { assertDnsSubdomain, dnsLabel } from '../core/naming';
import { SchemaValidation } from '../core/schema-validation';
import { checkUniqueNames } from '../core/unique-names';

/**
 * A barman-cloud plugin `ObjectStore` (barmancloud.cnpg.io/v1): where a CloudNativePG cluster
 * archives WAL and base backups. Credentials are Secret references.
 */
export class CnpgObjectStore extends Construct implements ICnpgObjectStore {
  /**
   * An ObjectStore managed elsewhere (another chart, another tool), by name: enough to back a
   * cluster up to it (`backupTo`), recover from it and restore-test it.
   */
  public static fromObjectStoreName(scope: Construct, id: string, name: string): ICnpgObjectStore {
    return new ImportedObjectStore(scope, id, name);
  }

  /** The ObjectStore's name. */
  public readonly name: string;
  /** The `ObjectStore` object (the escape hatch: `ApiObject.of(store)` is the same). */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: CnpgObjectStoreProps) {
    super(scope, id);
    const { configuration, retentionPolicy } = barmanConfiguration(this, props);
    this.name = props.name ?? dnsLabel(this.node.id);
    assertDnsSubdomain(this, 'name', this.name);
    checkUniqueNames(this);
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'barmancloud.cnpg.io/v1',
      kind: 'ObjectStore',
      metadata: { name: this.name },
      spec: { retentionPolicy, configuration },
    });
    SchemaValidation.addTo(this.resource);
  }
}

class ImportedObjectStore extends Construct implements ICnpgObjectStore {
  constructor(scope: Construct, id: string, public readonly name: string) {
    super(scope, id);
    assertDnsSubdomain(this, 'name', name);
  }
}
