import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { propError } from './errors';
import { checkPlusMajor } from './plus-objects';

/**
 * Rolling pods when a Secret changes. Kubernetes does not restart a pod whose Secret-sourced
 * environment changed (mounted Secret files are refreshed, but most programs read them once), and
 * the library never sees a Secret's content, so its config hash cannot cover it. Two ways out:
 *
 * - a revision you bump whenever you rotate a Secret the pods read (`rollOnRevision`, or the
 *   `secretRevision` prop of the long-running constructs): the pod template changes and the
 *   workload rolls, through the GitOps change that rotated the Secret;
 * - a controller that watches Secrets and restarts the workloads that use them, e.g. Stakater
 *   Reloader (annotate the workload `reloader.stakater.com/auto: "true"`) or, for CloudNativePG
 *   clusters, the operator itself (it reloads the Secrets it manages).
 */
export class SecretRotation {
  /** The pod-template annotation that carries the revision of the Secrets a workload reads. */
  public static readonly ANNOTATION = 'pg-reliability.cdk8s.io/secret-revision';

  /** Puts `revision` on the pod template of `workload`: a new value rolls its pods. */
  public static rollOnRevision(workload: kplus.Workload, revision: string): void {
    checkPlusMajor('SecretRotation.rollOnRevision', 'workload', workload);
    SecretRotation.annotate(workload, workload, 'secretRevision', revision);
  }

  /** @internal the same for a construct's prop, with the construct named in errors */
  public static _fromProp(scope: IConstruct, workload: kplus.Workload, revision: string | undefined): void {
    if (revision !== undefined) SecretRotation.annotate(scope, workload, 'secretRevision', revision);
  }

  private static annotate(scope: IConstruct, workload: kplus.Workload, prop: string, revision: string): void {
    if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,62}$/.test(revision ?? '')) {
      throw propError(scope, prop, revision, 'a short revision such as "2026-11-25" or "r7": letters, digits, ".", "_", ":", "-", at most 63 characters');
    }
    const existing = REVISIONS.get(workload);
    if (existing !== undefined && existing !== revision) {
      throw propError(scope, prop, revision, `the pods already carry secret revision "${existing}": give one revision per workload`);
    }
    REVISIONS.set(workload, revision);
    workload.podMetadata.addAnnotation(SecretRotation.ANNOTATION, revision);
  }

  private constructor() {}
}

const REVISIONS = new WeakMap<kplus.Workload, string>();
