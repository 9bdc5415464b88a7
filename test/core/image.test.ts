import { ContainerImage, ImageCatalog } from '../../src';

describe('ContainerImage', () => {
  test('renders repository:tag and an optional digest', () => {
    expect(ContainerImage.of('ghcr.io/cloudnative-pg/pgbouncer', '1.18.0').reference).toBe('ghcr.io/cloudnative-pg/pgbouncer:1.18.0');
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(ContainerImage.fromReference(`registry.local:5000/pg/postgres:15.18@${digest}`).reference).toBe(`registry.local:5000/pg/postgres:15.18@${digest}`);
  });

  test('refuses latest, missing tags and malformed digests', () => {
    expect(() => ContainerImage.of('docker.io/library/postgres', 'latest')).toThrow(/is not a pinned tag; use a version such as "1.2.3" \(never "latest"\)/);
    expect(() => ContainerImage.fromReference('docker.io/library/postgres')).toThrow(/pin a tag, e.g. "docker.io\/library\/postgres:1.2.3"/);
    expect(() => ContainerImage.fromReference('registry.local:5000/postgres')).toThrow(/pin a tag/);
    expect(() => ContainerImage.of('Docker.io/Postgres', '15')).toThrow(/not a valid image name/);
    expect(() => ContainerImage.of('postgres', '15', 'sha256:abc')).toThrow(/64 hex digits/);
  });

  test('every catalog entry is pinned', () => {
    const entries = Object.entries(ImageCatalog).filter(([, v]) => v instanceof ContainerImage) as [string, ContainerImage][];
    expect(entries.map(([k]) => k).sort()).toEqual(['CNPG_POSTGRES', 'CURL', 'KUBECTL', 'PATRONI', 'PGBACKREST', 'PGBOUNCER', 'PGBOUNCER_EXPORTER', 'PGPOOL', 'POSTGRES', 'POSTGRES_EXPORTER']);
    for (const [, image] of entries) expect(image.tag).toMatch(/^v?\d/);
  });
});
