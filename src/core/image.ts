/**
 * A container image pinned by tag (and optionally by digest). `latest`, an empty tag or a
 * reference without a tag are refused: the same stack must start the same software every time.
 */
export class ContainerImage {
  /**
   * An image from its repository and tag.
   * @param repository e.g. `ghcr.io/cloudnative-pg/pgbouncer`
   * @param tag e.g. `1.18.0`; never `latest`
   * @param digest optional `sha256:...` digest, appended as `@digest`
   */
  public static of(repository: string, tag: string, digest?: string): ContainerImage {
    return new ContainerImage(repository, tag, digest);
  }

  /** Parses `repository:tag` or `repository:tag@sha256:...`. */
  public static fromReference(reference: string): ContainerImage {
    const [name, digest] = reference.split('@');
    const colon = name.lastIndexOf(':');
    if (colon < 0 || name.indexOf('/', colon) >= 0) {
      throw new Error(`ContainerImage: got ${JSON.stringify(reference)}; pin a tag, e.g. "${name}:1.2.3"`);
    }
    return new ContainerImage(name.slice(0, colon), name.slice(colon + 1), digest);
  }

  private constructor(
    /** Registry and repository, without tag. */
    public readonly repository: string,
    /** The pinned tag. */
    public readonly tag: string,
    /** The digest, when pinned by digest too. */
    public readonly digest?: string,
  ) {
    const reference = `${repository}:${tag}`;
    if (!/^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/.test(repository)) {
      throw new Error(`ContainerImage: repository ${JSON.stringify(repository)} is not a valid image name; expected e.g. "docker.io/library/postgres"`);
    }
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag) || tag === 'latest') {
      throw new Error(`ContainerImage: tag ${JSON.stringify(tag)} of ${repository} is not a pinned tag; use a version such as "1.2.3" (never "latest")`);
    }
    if (digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(digest)) {
      throw new Error(`ContainerImage: digest ${JSON.stringify(digest)} of ${reference} is not "sha256:" followed by 64 hex digits`);
    }
  }

  /** The reference to put in `image:`. */
  public get reference(): string {
    return `${this.repository}:${this.tag}${this.digest ? `@${this.digest}` : ''}`;
  }
}

/**
 * The pinned default image of every program the library runs. Each construct takes an `image`
 * prop to override its entry. Versions follow what the contract tests run (Debian bookworm's
 * packages) where an image of that version exists, so the settings we render are the settings
 * that version was tested to accept.
 */
export class ImageCatalog {
  /** PostgreSQL 15 (the contract tests run Debian's postgresql-15, 15.18). */
  public static readonly POSTGRES = ContainerImage.of('docker.io/library/postgres', '15.18-bookworm');
  /** CloudNativePG operand image of the same PostgreSQL version. */
  public static readonly CNPG_POSTGRES = ContainerImage.of('ghcr.io/cloudnative-pg/postgresql', '15.18-standard-bookworm');
  /** PgBouncer 1.18.0, the version of the contract tests. */
  public static readonly PGBOUNCER = ContainerImage.of('ghcr.io/cloudnative-pg/pgbouncer', '1.18.0');
  /** pgBackRest 2.45, the version of the contract tests. */
  public static readonly PGBACKREST = ContainerImage.of('docker.io/woblerr/pgbackrest', '2.45');
  /** postgres_exporter 0.11.1, the version of the contract tests. */
  public static readonly POSTGRES_EXPORTER = ContainerImage.of('quay.io/prometheuscommunity/postgres-exporter', 'v0.11.1');
  /** pgbouncer_exporter. */
  public static readonly PGBOUNCER_EXPORTER = ContainerImage.of('quay.io/prometheuscommunity/pgbouncer-exporter', 'v0.7.0');
  /** Patroni 3.0.2 with PostgreSQL 15 (Spilo 3.0-p1), the Patroni version of the contract tests. */
  public static readonly PATRONI = ContainerImage.of('ghcr.io/zalando/spilo-15', '3.0-p1');
  /** pgpool-II 4.3.5, the version of the contract tests. */
  public static readonly PGPOOL = ContainerImage.of('docker.io/pgpool/pgpool', '4.3.5');
  /** kubectl with bash and jq (alpine/k8s), for jobs that manage resources. */
  public static readonly KUBECTL = ContainerImage.of('docker.io/alpine/k8s', '1.31.4');
  /** curl, for posting job notifications to webhooks. */
  public static readonly CURL = ContainerImage.of('docker.io/curlimages/curl', '8.11.1');

  private constructor() {}
}
