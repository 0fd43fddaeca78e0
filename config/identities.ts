/**
 * Identities that must stay apart (issue 29 §4): the backup, the restore verification and the application each run
 * as a Kubernetes service account of their own, and each account is what an AWS role (storage stack, GkeAwsFederation:
 * `system:serviceaccount:<namespace>:<name>`) and a Google service account (Workload Identity:
 * `<project>.svc.id.goog[<namespace>/<name>]`) trust. Reused, one workload holds the other's rights: the backup
 * (put-only on the offsite backups, and the Cloud SQL login) could read every backup back, the restore verification
 * could overwrite them, the application could do both. The construct refuses a shared subject too, but with a stack
 * trace; the loader says it first, naming both fields.
 *
 * Kubernetes runs every pod that names no account as `default` (Kubernetes docs, "Configure Service Accounts for
 * Pods": "If you don't specify a ServiceAccount when you create a Pod, Kubernetes automatically assigns the
 * ServiceAccount named default in that namespace"), so `default` is never one of these. And the Secret holding the
 * backup job's AWS keys (awsAuth access-key) is never the age identity's: the backup pod would hold the key that
 * decrypts every backup.
 */
import type { EnvironmentConfig } from "./schema";

interface Problem {
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

interface Identity {
  readonly field: string;
  readonly what: string;
  readonly namespace: string;
  readonly namespaceField: string;
  readonly name: string;
}

function identitiesOf(env: EnvironmentConfig): Identity[] {
  const k = env.backupJob.kubernetes;
  return [
    { field: "gcp.workload.serviceAccount", what: "the application (package and CloudFront rights)", namespace: env.gcp.workload.namespace, namespaceField: "gcp.workload.namespace", name: env.gcp.workload.serviceAccount },
    { field: "backupJob.kubernetes.backupServiceAccount", what: "the backup (writes offsite backups, logs in to Cloud SQL)", namespace: k.namespace, namespaceField: "backupJob.kubernetes.namespace", name: k.backupServiceAccount },
    { field: "backupJob.kubernetes.restoreServiceAccount", what: "the restore verification (reads the offsite backups)", namespace: k.namespace, namespaceField: "backupJob.kubernetes.namespace", name: k.restoreServiceAccount },
  ];
}

export function checkIdentities(env: EnvironmentConfig): Problem[] {
  const problems: Problem[] = [];
  const ids = identitiesOf(env);
  ids.forEach((id, i) => {
    if (id.name === "default") {
      problems.push({
        path: id.field.split("."),
        message: `must not be "default": every pod in ${id.namespace} that names no service account runs as default, so any of them would hold the rights of ${id.what}; name an account of its own`,
      });
      return;
    }
    const first = ids.slice(0, i).find((other) => other.name === id.name && other.namespace === id.namespace);
    if (first) {
      problems.push({
        path: id.field.split("."),
        message: `is ${first.field} too (${id.namespace}/${id.name}): ${id.what} and ${first.what} must run as different service accounts, or each holds the other's AWS role and Google service account; give ${id.field} a name of its own`,
      });
    }
  });
  const k = env.backupJob.kubernetes;
  if (k.awsAuth.mode === "access-key" && k.awsAuth.secretName === k.ageIdentitySecret) {
    problems.push({
      path: ["backupJob", "kubernetes", "awsAuth", "secretName"],
      message: `is backupJob.kubernetes.ageIdentitySecret too (${k.ageIdentitySecret}): the backup pod mounts its AWS keys from this Secret and would hold the age identity that decrypts every backup; keep the AWS keys in a Secret of their own`,
    });
  }
  return problems;
}
