import { everyContainer, imageRepository, isCnpg, ofKind } from '../app-view';
import { RawFinding, Rule, RuleLevel } from '../rule';

/** Why an image reference is not pinned, or undefined when it names a tag or digest. */
export function unpinned(image: string): string | undefined {
  if (image.includes('@sha256:')) return undefined;
  const repository = imageRepository(image);
  if (repository === image) return 'has no tag (means latest)';
  return image.slice(repository.length + 1) === 'latest' ? 'uses the tag latest' : undefined;
}

export const IMAGE_NOT_PINNED: Rule = {
  id: 'PGR-POD-002',
  level: RuleLevel.ERROR,
  name: 'An image is not pinned to a version',
  explanation: 'latest (or no tag) changes under you: a restart may bring a new major version of PostgreSQL or a tool whose output format changed, and two replicas may run different code.',
  fix: 'Pin every image to a version tag (postgres:15.18-bookworm) or a digest.',
  check: (app) => {
    const found: RawFinding[] = everyContainer(app).flatMap(({ object, container }) => {
      const why = unpinned(String(container.image ?? ''));
      return why ? [{ object, message: `container ${container.name} image "${container.image ?? ''}" ${why}` }] : [];
    });
    for (const object of ofKind(app, 'Cluster').filter((o) => isCnpg(o.manifest, 'Cluster') && o.manifest.spec?.imageName)) {
      const why = unpinned(object.manifest.spec.imageName);
      if (why) found.push({ object, message: `imageName "${object.manifest.spec.imageName}" ${why}` });
    }
    return found;
  },
};
