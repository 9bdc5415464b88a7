import { Duration } from 'cdk8s';
import { ContainerImage } from './image';
import { SecretKeyRef } from './secret-ref';

/** How a library CronJob runs: time zone, limits, history and its reporter's image. */
export interface ScheduledJobOptions {
  /**
   * IANA time zone of the schedule, e.g. `Europe/Berlin`.
   * @default - the controller's time zone (UTC on most clusters)
   */
  readonly timeZone?: string;
  /**
   * Kill a run that takes longer than this.
   * @default - per job kind
   */
  readonly activeDeadline?: Duration;
  /**
   * Retries of a failed run before the job counts as failed.
   * @default 1
   */
  readonly backoffLimit?: number;
  /**
   * Finished jobs kept for inspection.
   * @default 3
   */
  readonly successfulJobsRetained?: number;
  /**
   * Failed jobs kept for inspection.
   * @default 3
   */
  readonly failedJobsRetained?: number;
  /**
   * Image of the reporter container (it posts to webhooks and pushes metrics with curl).
   * @default ImageCatalog.CURL
   */
  readonly notifierImage?: ContainerImage;
}

/** Jobs that only speak up when they fail (backups, dumps). */
export interface FailureNotificationOptions {
  /**
   * A Slack-compatible webhook (`{"text": ...}`) told when a run fails; the URL comes from a
   * Secret and never appears in the YAML.
   * @default - no notification
   */
  readonly failureWebhook?: SecretKeyRef;
}

/** HTTP basic-auth credentials, both from Secrets. */
export interface BasicAuthCredentials {
  /** The user name, from a Secret key. */
  readonly username: SecretKeyRef;
  /** The password, from a Secret key. */
  readonly password: SecretKeyRef;
}
