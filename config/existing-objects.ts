/**
 * What happens to the objects an adopted bucket already holds (issue 27 §2), per bucket under
 * `adopt.existingObjects`: `keep` (the default for every adopted bucket) or `may-expire`.
 *
 * Why a decision is needed at all: "When you add a Lifecycle configuration to a bucket, the configuration rules
 * apply to both existing objects and objects that you add later. For example, if you add a Lifecycle configuration
 * rule today with an expiration action that causes objects to expire 30 days after creation, Amazon S3 will queue
 * for removal any existing objects that are more than 30 days old." (S3 User Guide, "Managing the lifecycle of
 * objects", https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html). `ops` adopts
 * gitlab-packagecloud-db-backups, which nothing writes since the move to GKE (seed 001): a 14-day expiration
 * created on the first apply would delete every VM-era backup in it about two days later.
 *
 * `keep` gives the bucket a lifecycle that cannot remove an object version: no `Expiration` by days or date and no
 * `NoncurrentVersionExpiration` (S3 lifecycle filters select by prefix, tag and size, never by creation date, so no
 * rule can tell an old object from a new one). What stays: aborting incomplete multipart uploads (parts of an upload
 * that never finished are not objects) and removing expired object delete markers (a marker with no version behind
 * it hides nothing: S3 User Guide, "Removing expired object delete markers"). The cost: new objects are not expired
 * either, until the operator records `may-expire`.
 *
 * @example
 *   adopt: { buckets: { dailyBackups: ["encryption"] }, existingObjects: { dailyBackups: "may-expire" }, … }
 */
import { z } from "zod";

export const EXISTING_OBJECTS = ["keep", "may-expire"] as const;
export type ExistingObjects = (typeof EXISTING_OBJECTS)[number];

/** The adoptable buckets (config/schema.ts ADOPTABLE_BUCKETS; test/config.test.ts holds the two lists equal). */
export const EXISTING_OBJECTS_BUCKETS = ["packages", "replica", "offsiteBackups", "dailyBackups"] as const;
type Bucket = (typeof EXISTING_OBJECTS_BUCKETS)[number];

const decision = z.enum(EXISTING_OBJECTS, {
  errorMap: () => ({ message: 'must be "keep" (existing objects are never expired: the default) or "may-expire" (the lifecycle applies to them too)' }),
});

export const existingObjectsSchema = z
  .object(Object.fromEntries(EXISTING_OBJECTS_BUCKETS.map((b) => [b, decision.optional()])) as Record<Bucket, z.ZodOptional<typeof decision>>)
  .strict()
  .optional();

interface AdoptLike {
  readonly buckets?: Partial<Record<Bucket, readonly string[] | undefined>>;
  readonly existingObjects?: Partial<Record<Bucket, ExistingObjects | undefined>>;
}

/** The decision for a bucket: undefined when it is not adopted (Terraform creates it empty), else keep unless recorded. */
export function existingObjectsOf(adopt: AdoptLike | undefined, bucket: Bucket): ExistingObjects | undefined {
  if (!adopt?.buckets?.[bucket]) return undefined;
  return adopt.existingObjects?.[bucket] ?? "keep";
}

/** A decision for a bucket that is not adopted is a slip (a typo in the bucket, or an adopt entry removed). */
export function checkExistingObjects(adopt: AdoptLike | undefined): Array<{ path: Array<string | number>; message: string }> {
  return EXISTING_OBJECTS_BUCKETS.filter((b) => adopt?.existingObjects?.[b] !== undefined && !adopt?.buckets?.[b]).map((b) => ({
    path: ["adopt", "existingObjects", b],
    message: `must not be set: adopt.buckets.${b} is not listed, so the bucket is created empty and has no existing objects (list the bucket under adopt.buckets, or drop this entry)`,
  }));
}
