import { ContainerImage, ImageCatalog } from '../../src';

describe('ContainerImage', () => {
  test('GIVEN a repository, tag and optional digest WHEN the image is built THEN the reference is repository:tag[@digest]', () => {
    // WHEN built from repository and tag THEN the reference is repository:tag
    expect(ContainerImage.of('ghcr.io/cloudnative-pg/pgbouncer', '1.18.0').reference).toBe('ghcr.io/cloudnative-pg/pgbouncer:1.18.0');
    // GIVEN a digest
    const digest = `sha256:${'a'.repeat(64)}`;
    // WHEN parsed from a reference with a registry port, tag and digest THEN the reference is rendered unchanged
    expect(ContainerImage.fromReference(`registry.local:5000/pg/postgres:15.18@${digest}`).reference).toBe(`registry.local:5000/pg/postgres:15.18@${digest}`);
  });

  test('GIVEN an unpinned or malformed image WHEN it is built THEN it is refused: latest, missing tags, bad names and malformed digests', () => {
    // WHEN the tag is "latest" THEN it is refused as not pinned
    expect(() => ContainerImage.of('docker.io/library/postgres', 'latest')).toThrow(/is not a pinned tag; use a version such as "1.2.3" \(never "latest"\)/);
    // WHEN a reference has no tag (also behind a registry port) THEN it asks for a tag
    expect(() => ContainerImage.fromReference('docker.io/library/postgres')).toThrow(/pin a tag, e.g. "docker.io\/library\/postgres:1.2.3"/);
    expect(() => ContainerImage.fromReference('registry.local:5000/postgres')).toThrow(/pin a tag/);
    // WHEN the name has upper-case letters THEN it is not a valid image name
    expect(() => ContainerImage.of('Docker.io/Postgres', '15')).toThrow(/not a valid image name/);
    // WHEN the digest is too short THEN it asks for 64 hex digits
    expect(() => ContainerImage.of('postgres', '15', 'sha256:abc')).toThrow(/64 hex digits/);
  });

  test('GIVEN the image catalog WHEN its entries are listed THEN every one is pinned to a version tag', () => {
    // GIVEN the catalog
    // WHEN its ContainerImage entries are listed
    const entries = Object.entries(ImageCatalog).filter(([, v]) => v instanceof ContainerImage) as [string, ContainerImage][];
    // THEN they are the known images, each with a version tag
    expect(entries.map(([k]) => k).sort()).toEqual(['CNPG_POSTGRES', 'CURL', 'KUBECTL', 'PATRONI', 'PGBACKREST', 'PGBOUNCER', 'PGBOUNCER_EXPORTER', 'PGPOOL', 'POSTGRES', 'POSTGRES_EXPORTER']);
    for (const [, image] of entries) expect(image.tag).toMatch(/^v?\d/);
  });
});
