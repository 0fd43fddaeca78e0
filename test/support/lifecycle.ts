/**
 * Whether a lifecycle rule can remove an object version that is already in the bucket, read from S3's lifecycle
 * semantics (S3 User Guide, "Managing the lifecycle of objects" and "Lifecycle configuration elements"): a rule
 * applies to existing objects as well as new ones; `Expiration` with `Days` or `Date` expires current versions,
 * `NoncurrentVersionExpiration` removes noncurrent ones; `ExpiredObjectDeleteMarker` removes only delete markers
 * with no version behind them, and `AbortIncompleteMultipartUpload` only unfinished uploads. A disabled rule does
 * nothing. Written here from those documents, not from the construct's rule table.
 */
export function canRemoveExistingVersions(rule: any): boolean {
  if (rule.status !== "Enabled") return false;
  const expiration = [rule.expiration ?? []].flat();
  // Days is "a non-zero positive integer" (LifecycleExpiration); a plan shows an unset one as 0 or null.
  const expires = expiration.some((e: any) => (typeof e.days === "number" && e.days > 0) || (typeof e.date === "string" && e.date !== ""));
  const noncurrent = [rule.noncurrent_version_expiration ?? []].flat().length > 0;
  return expires || noncurrent;
}

