import { finding, type Rule } from "../engine";

/**
 * Delete markers are never replicated: otherwise one bad credential deletes the same object in both regions
 * (REFERENCE.md §2). No scanner checks this.
 */
export const s3DeleteMarkerReplication: Rule = {
  id: "PC_S3_NO_DELETE_MARKER_REPLICATION",
  maps: [],
  title: "S3 replication rules do not replicate delete markers",
  fix: "Set delete_marker_replication { status = \"Disabled\" } on every replication rule",
  check(stack) {
    return stack.resources("aws_s3_bucket_replication_configuration").flatMap((config) =>
      [config.config.rule].flat().flatMap((rule: any) => {
        const status = [rule?.delete_marker_replication].flat()[0]?.status;
        return status === "Disabled" ? [] : [finding(this, config, `rule ${rule?.id ?? "(unnamed)"} replicates delete markers (status ${status ?? "unset"})`)];
      }),
    );
  },
};
