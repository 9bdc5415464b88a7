import { createHash } from 'crypto';
import { ApiObjectMetadataDefinition, Lazy } from 'cdk8s';

/** Pod-template annotation whose change makes Kubernetes roll the pods. */
export const CONFIG_HASH_ANNOTATION = 'pg-reliability.cdk8s.io/config-hash';

/** A short, stable digest of the given file contents (order matters). */
export function configHash(contents: readonly string[]): string {
  const hash = createHash('sha256');
  for (const text of contents) hash.update(`${text.length}:${text}`);
  return hash.digest('hex').slice(0, 32);
}

/**
 * Puts the config-hash annotation on a pod template. The contents are read at synth, so files
 * changed by `addX()` calls after construction still change the hash and roll the pods.
 */
export function annotateConfigHash(podMetadata: ApiObjectMetadataDefinition, contents: () => readonly string[]): void {
  // Several sidecars may configure one pod: the annotation hashes all of their files.
  let sources = SOURCES.get(podMetadata);
  if (!sources) {
    const all: Array<() => readonly string[]> = [];
    SOURCES.set(podMetadata, all);
    sources = all;
    const lazy = Lazy.any({ produce: () => configHash(all.flatMap((source) => source())) });
    // Annotations are typed as strings, but cdk8s resolves Lazy values anywhere in the manifest.
    podMetadata.addAnnotation(CONFIG_HASH_ANNOTATION, lazy as unknown as string);
  }
  sources.push(contents);
}

const SOURCES = new WeakMap<ApiObjectMetadataDefinition, Array<() => readonly string[]>>();
