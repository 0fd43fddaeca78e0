/**
 * Names the clouds accept, kept in the repository: EC2 instance types, Compute Engine machine types and zones.
 *
 * No API is called at synth (it must work offline and give the same answer tomorrow), so these lists are a
 * snapshot: each says where it was read and when, and every message that uses one says so, so an operator whose
 * perfectly good choice is missing knows to add it here rather than to doubt the cloud.
 */

export interface Catalog {
  /** Where the list was read. */
  readonly source: string;
  /** When it was read (YYYY-MM-DD). */
  readonly checked: string;
  readonly names: ReadonlySet<string>;
}

const sizes = (family: string, list: readonly (string | number)[], sep = ".") => list.map((s) => `${family}${sep}${s}`);
const XL = ["large", "xlarge", "2xlarge", "4xlarge"];

/**
 * EC2 instance types this service can run on (general purpose, compute and memory optimized; families offered in
 * us-west-1 and eu-central-1). Not every type AWS sells: add one here when you need it.
 */
export const EC2_INSTANCE_TYPES: Catalog = {
  source: "Amazon EC2 instance types, https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-types.html",
  checked: "2026-11-24",
  names: new Set([
    ...sizes("c4", [...XL, "8xlarge"]),
    ...sizes("c5", [...XL, "9xlarge", "12xlarge", "18xlarge", "24xlarge"]),
    ...sizes("m4", [...XL, "10xlarge", "16xlarge"]),
    ...sizes("m5", [...XL, "8xlarge", "12xlarge", "16xlarge", "24xlarge"]),
    ...sizes("r5", [...XL, "8xlarge", "12xlarge", "16xlarge", "24xlarge"]),
    ...sizes("c6i", [...XL, "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"]),
    ...sizes("m6i", [...XL, "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"]),
    ...sizes("r6i", [...XL, "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"]),
    ...sizes("t3", ["nano", "micro", "small", "medium", ...XL.slice(0, 3)]),
  ]),
};

/**
 * Availability zone names per AWS region. Zone names map to different physical zones per account, and an account
 * sees only some of them (us-west-1 offers two of a, b, c): this list holds every name the region uses.
 */
export const AWS_ZONES: Catalog = {
  source: "AWS Regions and Availability Zones, https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html",
  checked: "2026-11-24",
  names: new Set([
    ...sizes("us-east-1", ["a", "b", "c", "d", "e", "f"], ""),
    ...sizes("us-east-2", ["a", "b", "c"], ""),
    ...sizes("us-west-1", ["a", "b", "c"], ""),
    ...sizes("us-west-2", ["a", "b", "c", "d"], ""),
    ...sizes("eu-central-1", ["a", "b", "c"], ""),
    ...sizes("eu-west-1", ["a", "b", "c"], ""),
  ]),
};

/** Compute Engine machine types for GKE nodes (predefined types of the series this service may use). */
export const GCE_MACHINE_TYPES: Catalog = {
  source: "Compute Engine general-purpose machine family, https://cloud.google.com/compute/docs/general-purpose-machines",
  checked: "2026-11-24",
  names: new Set([
    ...sizes("n2-standard", [2, 4, 8, 16, 32, 48, 64, 80, 96, 128], "-"),
    ...sizes("n2-highmem", [2, 4, 8, 16, 32, 48, 64, 80, 96, 128], "-"),
    ...sizes("n2-highcpu", [2, 4, 8, 16, 32, 48, 64, 80, 96], "-"),
    ...sizes("n2d-standard", [2, 4, 8, 16, 32, 48, 64, 80, 96, 128, 224], "-"),
    ...sizes("e2-standard", [2, 4, 8, 16, 32], "-"),
    ...sizes("e2-highmem", [2, 4, 8, 16], "-"),
    ...sizes("c3-standard", [4, 8, 22, 44, 88, 176], "-"),
    ...sizes("n1-standard", [1, 2, 4, 8, 16, 32, 64, 96], "-"),
  ]),
};

/** Compute Engine zones per region (us-east1 has no zone a). */
export const GCP_ZONES: Catalog = {
  source: "Compute Engine regions and zones, https://cloud.google.com/compute/docs/regions-zones",
  checked: "2026-11-24",
  names: new Set([
    ...sizes("us-east1", ["b", "c", "d"], "-"),
    ...sizes("us-east4", ["a", "b", "c"], "-"),
    ...sizes("us-central1", ["a", "b", "c", "f"], "-"),
    ...sizes("us-west1", ["a", "b", "c"], "-"),
    ...sizes("europe-west1", ["b", "c", "d"], "-"),
    ...sizes("europe-west3", ["a", "b", "c"], "-"),
  ]),
};

/** The zones of a Google Cloud region in GCP_ZONES (a regional GKE pool runs its node count in each). */
export function gcpZonesOf(region: string): string[] {
  return [...GCP_ZONES.names].filter((z) => z.startsWith(`${region}-`));
}

/** The sentence every catalog refusal ends with. */
export function notInCatalog(what: string, catalog: Catalog): string {
  return `is not in the repository's list of ${what} (config/catalog/cloud-catalog.ts, from ${catalog.source}, checked ${catalog.checked}); if the cloud offers it, add it there`;
}
