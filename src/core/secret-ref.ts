import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { propError } from './errors';
import { dnsLabel } from './naming';
import { checkPlusMajor } from './plus-objects';

/** Options for delivering a secret key as a file. */
export interface SecretFileOptions {
  /**
   * File mode of the projected file. Group-readable so a non-root container user that shares
   * the pod's fsGroup can read it, and nobody else.
   * @default 0o440
   */
  readonly mode?: number;
}

/**
 * One key of an existing Kubernetes Secret. The library never holds the secret's value: a
 * reference is delivered to a container as an environment variable (`secretKeyRef`) or as a file
 * from a Secret volume, so the value is resolved by the kubelet and never written into YAML.
 */
export class SecretKeyRef {
  /**
   * A reference to `key` in `secret`.
   * @param secret an existing Secret, e.g. `kplus.Secret.fromSecretName(this, 'Db', 'app-db')`
   * @param key the data key inside the Secret
   */
  public static of(secret: kplus.ISecret, key: string): SecretKeyRef {
    checkPlusMajor(`SecretKeyRef(${secret.name})`, 'secret', secret);
    // Secret data keys: https://kubernetes.io/docs/concepts/configuration/secret/#restriction-names-data
    if (!/^[-._a-zA-Z0-9]+$/.test(key) || key.length > 253) {
      throw propError(`SecretKeyRef(${secret.name})`, 'key', key, 'Secret keys use letters, digits, "-", "_" and "." only');
    }
    return new SecretKeyRef(secret, key);
  }

  private constructor(
    /** The Secret that holds the value. */
    public readonly secret: kplus.ISecret,
    /** The key inside the Secret. */
    public readonly key: string,
  ) {}

  /** The value as an environment variable source (`valueFrom.secretKeyRef`). */
  public toEnvValue(): kplus.EnvValue {
    return kplus.EnvValue.fromSecretValue({ secret: this.secret, key: this.key });
  }

  /** Sets environment variable `name` of `container` from this key. */
  public addToEnv(container: kplus.Container, name: string): void {
    container.env.addVariable(name, this.toEnvValue());
  }

  /**
   * Projects this key alone into `directory/fileName` of `container` through a read-only Secret
   * volume, and returns the file's path. The directory holds only this file: give each file its
   * own directory (two volumes cannot share a mount path).
   * @param scope construct that owns the volume (any construct in the workload's chart)
   */
  public mountAsFile(scope: Construct, container: kplus.Container, directory: string, fileName: string, options: SecretFileOptions = {}): string {
    if (!directory.startsWith('/') || fileName.includes('/') || fileName === '') {
      throw propError(scope, 'mountAsFile', `${directory} ${fileName}`, 'give an absolute directory and a plain file name');
    }
    const name = dnsLabel('secret', this.secret.name, this.key);
    // One volume per secret key and scope, reused when a second container mounts the same file.
    const volume = (scope.node.tryFindChild(name) as kplus.Volume | undefined) ?? kplus.Volume.fromSecret(scope, name, this.secret, {
      name,
      items: { [this.key]: { path: fileName, mode: options.mode ?? 0o440 } },
    });
    container.mount(directory, volume, { readOnly: true });
    return `${directory.replace(/\/$/, '')}/${fileName}`;
  }
}
