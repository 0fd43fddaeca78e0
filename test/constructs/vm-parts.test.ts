import { BACKUP_SERVICE_POLICIES, DataDiskBackup } from "../../constructs/data-disk-backup";
import { EncryptionKey } from "../../constructs/encryption-key";
import { VmNetwork } from "../../constructs/vm-network";
import { constructStack, synth, Synthesized } from "../support/synth";

function backup(overrides: Partial<ConstructorParameters<typeof DataDiskBackup>[2]> = {}) {
  const { stack, replicaProvider } = constructStack();
  new DataDiskBackup(stack, "Snapshots", {
    environment: "ops",
    volumeArn: "arn:aws:ec2:us-west-1:111122223333:volume/vol-0123456789abcdef0",
    key: new EncryptionKey(stack, "Key", { alias: "k", description: "k" }),
    copyKey: new EncryptionKey(stack, "CopyKey", { alias: "c", description: "c", provider: replicaProvider }),
    copyProvider: replicaProvider,
    startHourUtc: 3,
    retainDays: 14,
    vaultLock: { minRetentionDays: 14, maxRetentionDays: 35, changeableForDays: 3 },
    ...overrides,
  });
  return synth(stack);
}

describe("DataDiskBackup", () => {
  const out = backup();
  const [rule] = out.resource("aws_backup_plan", "snapshots_plan").rule;

  it("snapshots daily at the configured hour and keeps each recovery point for the configured days", () => {
    expect(rule).toMatchObject({
      rule_name: "daily",
      schedule: "cron(0 3 * * ? *)",
      target_vault_name: "${aws_backup_vault.snapshots_vault.name}",
      lifecycle: { delete_after: 14 },
    });
  });

  it("copies every recovery point to the vault in the other region, kept as long", () => {
    expect(rule.copy_action).toEqual([{ destination_vault_arn: "${aws_backup_vault.snapshots_copy_vault.arn}", lifecycle: { delete_after: 14 } }]);
    expect(out.resource("aws_backup_vault", "snapshots_copy_vault")).toMatchObject({
      provider: "aws.replica",
      kms_key_arn: "${aws_kms_key.copy_key.arn}",
    });
  });

  it("locks both vaults, protects them from destroy, and encrypts them with customer keys", () => {
    for (const name of ["snapshots_vault", "snapshots_copy_vault"]) {
      expect(out.resource("aws_backup_vault", name)).toMatchObject({ force_destroy: false, lifecycle: { prevent_destroy: true } });
    }
    for (const name of ["snapshots_vault_lock", "snapshots_copy_vault_lock"]) {
      expect(out.resource("aws_backup_vault_lock_configuration", name)).toMatchObject({
        min_retention_days: 14,
        max_retention_days: 35,
        changeable_for_days: 3,
      });
    }
    expect(out.resource("aws_backup_vault", "snapshots_vault").kms_key_arn).toBe("${aws_kms_key.key.arn}");
  });

  it("selects exactly the data volume, through a role only AWS Backup can assume", () => {
    expect(out.resource("aws_backup_selection", "snapshots_selection")).toMatchObject({
      resources: ["arn:aws:ec2:us-west-1:111122223333:volume/vol-0123456789abcdef0"],
      iam_role_arn: "${aws_iam_role.snapshots_role.arn}",
    });
    const trust = Synthesized.policy(out.resource("aws_iam_role", "snapshots_role").assume_role_policy);
    expect(trust.Statement[0].Principal).toEqual({ Service: "backup.amazonaws.com" });
    expect(Object.values(out.resources("aws_iam_role_policy_attachment")).map((a: any) => a.policy_arn).sort()).toEqual(
      Object.values(BACKUP_SERVICE_POLICIES).sort(),
    );
  });

  it("leaves the lock in governance mode when no changeableForDays is given", () => {
    expect(backup({ vaultLock: { minRetentionDays: 7, maxRetentionDays: 35 } }).resource("aws_backup_vault_lock_configuration", "snapshots_vault_lock").changeable_for_days).toBeUndefined();
  });

  it("fails if the retention falls outside the vault lock", () => {
    expect(() => backup({ retainDays: 7 })).toThrow(/DataDiskBackup test\/Snapshots: retainDays \(7\) must lie within the vault lock's 14-35 days/);
  });

  it("fails if the start hour is not 0-23", () => {
    expect(() => backup({ startHourUtc: 24 })).toThrow(/startHourUtc must be a whole hour from 0 to 23 \(got 24\)/);
  });
});

describe("VmNetwork", () => {
  it("builds a minimal public network of its own when managed", () => {
    const { stack } = constructStack();
    new VmNetwork(stack, "Network", {
      environment: "ops",
      availabilityZone: "us-west-1b",
      network: { mode: "managed", vpcCidr: "10.70.0.0/16", subnetCidr: "10.70.1.0/24" },
    });
    const out = synth(stack);
    expect(out.resource("aws_vpc", "network_vpc")).toMatchObject({ cidr_block: "10.70.0.0/16", enable_dns_support: true, enable_dns_hostnames: true });
    expect(out.resource("aws_subnet", "network_public_subnet")).toMatchObject({
      cidr_block: "10.70.1.0/24",
      availability_zone: "us-west-1b",
      map_public_ip_on_launch: false,
    });
    expect(out.resource("aws_route_table", "network_public_routes").route).toEqual([
      expect.objectContaining({ cidr_block: "0.0.0.0/0", gateway_id: "${aws_internet_gateway.network_internet_gateway.id}" }),
    ]);
    // The default security group is emptied: no ingress, no egress.
    const defaultGroup = out.resource("aws_default_security_group", "network_default_security_group");
    expect(defaultGroup.ingress).toBeUndefined();
    expect(defaultGroup.egress).toBeUndefined();
  });

  it("creates nothing and passes the ids through when the network exists", () => {
    const { stack } = constructStack();
    const network = new VmNetwork(stack, "Network", {
      environment: "ops",
      availabilityZone: "us-west-1b",
      network: { mode: "existing", vpcId: "vpc-0123456789abcdef0", subnetId: "subnet-0123456789abcdef0" },
    });
    expect(network.vpcId).toBe("vpc-0123456789abcdef0");
    expect(network.subnetId).toBe("subnet-0123456789abcdef0");
    expect(synth(stack).json.resource ?? {}).toEqual({});
  });
});
