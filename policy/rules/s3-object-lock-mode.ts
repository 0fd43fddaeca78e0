import { finding, type Rule, type StackView } from "../engine";

/**
 * Every Object-Locked bucket the configuration declares, with its configured default retention: the configuration
 * the stack was built from, not the repository's (a stack of an edited environment is held to its own values).
 */
function configuredLocks(stack: StackView): Map<string, { mode: string; days: number }> {
  return new Map(stack.environments.map((env) => [env.storage.offsiteBackups.bucketName, env.storage.offsiteBackups.objectLock]));
}

/**
 * Object Lock is on exactly where the configuration says, in the configured mode and period: a GOVERNANCE lock
 * where COMPLIANCE was configured can be bypassed, and a shorter period lets backups go early. No scanner checks it.
 */
export const s3ObjectLockMode: Rule = {
  id: "PC_S3_OBJECT_LOCK_MODE",
  maps: [],
  title: "Object Lock is enabled where configured, in the configured mode and period, and nowhere else",
  fix: "Use BackupBucket with ObjectLockRetention.of(config mode, config days); lock buckets only through config",
  check(stack) {
    const expected = configuredLocks(stack);
    return stack.resources("aws_s3_bucket").flatMap((bucket) => {
      const want = expected.get(bucket.config.bucket);
      const locked = bucket.config.object_lock_enabled === true;
      if (!want) return locked ? [finding(this, bucket, "has Object Lock, but the configuration locks no bucket of that name")] : [];
      if (!locked) return [finding(this, bucket, `has no Object Lock; configured: ${want.mode}, ${want.days} days`)];
      const retention = stack
        .attachedToBucket(bucket, "aws_s3_bucket_object_lock_configuration")
        .map((c) => [[c.config.rule].flat()[0]?.default_retention].flat()[0])[0];
      if (!retention) return [finding(this, bucket, `has no default retention; configured: ${want.mode}, ${want.days} days`)];
      return retention.mode === want.mode && retention.days === want.days
        ? []
        : [finding(this, bucket, `locks ${retention.mode}, ${retention.days} days; configured: ${want.mode}, ${want.days} days`)];
    });
  },
};
