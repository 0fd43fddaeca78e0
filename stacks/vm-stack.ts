/**
 * `packagecloud-<env>-vm`: packagecloud on one EC2 instance with its 2 TB xfs data disk (seeds 000, 003),
 * synthesized for every environment so that it is ready to deploy whichever variant runs today: it is also
 * what the disaster-recovery runbook rebuilds.
 */
import type { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import type { EnvironmentConfig } from "../config";
import { DataDiskBackup } from "../constructs/data-disk-backup";
import { EncryptionKey } from "../constructs/encryption-key";
import { resourceName, stackName } from "../config/naming";
import { PackagecloudVm } from "../constructs/packagecloud-vm";
import { VmNetwork } from "../constructs/vm-network";
import { awsProvider, targetAccountId } from "./aws-provider";
import { configureBackend } from "./backend";
import { PackagecloudStack } from "./base-stack";
import { storagePolicyArns } from "./storage-stack";
import { vmFirstBootExtension } from "../backup/jobs";
import { targetSupports, type DeployTarget } from "./target";

export interface VmStackProps {
  readonly env: EnvironmentConfig;
  readonly target: DeployTarget;
}

export class VmStack extends PackagecloudStack {
  readonly vm: PackagecloudVm;
  readonly snapshots?: DataDiskBackup;

  constructor(scope: Construct, props: VmStackProps) {
    const { env, target } = props;
    const name = stackName(env.name, "vm");
    super(scope, name, { environment: env });
    configureBackend(this, env, name, target);
    awsProvider(this, "aws", { env, target, layer: "vm", region: env.aws.region });
    const copyProvider = awsProvider(this, "aws-replica", { env, target, layer: "vm", region: env.aws.replicaRegion, alias: "replica" });

    const network = new VmNetwork(this, "Network", { environment: env.name, availabilityZone: env.vm.availabilityZone, network: env.vm.network });
    const diskKey = new EncryptionKey(this, "DiskKey", {
      alias: resourceName(env.name, "vm-disks"),
      description: "Encrypts the packagecloud VM's root and data volumes and their snapshots",
    });
    this.vm = new PackagecloudVm(this, "Vm", {
      environment: env.name,
      vpcId: network.vpcId,
      subnetId: network.subnetId,
      availabilityZone: env.vm.availabilityZone,
      instanceType: env.vm.instanceType,
      amiId: env.vm.amiId,
      rootVolumeGiB: env.vm.rootVolumeGiB,
      dataVolumeGiB: env.vm.dataVolumeGiB,
      dataVolumeSnapshotId: env.vm.dataVolumeSnapshotId,
      terminationProtection: env.vm.terminationProtection,
      encryptionKey: diskKey,
      adminCidrs: env.network.adminCidrs,
      prometheusCidrs: env.network.prometheusCidrs,
      // Put-only into both backup buckets, and the application's own S3 and CloudFront rights: on the VM the
      // application takes credentials from the instance role, so no access key exists for it.
      managedPolicyArns: storagePolicyArns(env, targetAccountId(env, target)),
      apt: env.vm.packagecloudApt,
      // Issue 13: the offsite backup job (systemd timer), copying the newest local xbstream with the instance role.
      firstBootExtensions: [vmFirstBootExtension(env)],
    });

    if (targetSupports(target, "aws-backup")) {
      const copyKey = new EncryptionKey(this, "SnapshotCopyKey", {
        provider: copyProvider,
        alias: resourceName(env.name, "vm-snapshot-copies"),
        description: `Encrypts copies of the packagecloud VM's data-disk snapshots in ${env.aws.replicaRegion}`,
      });
      this.snapshots = new DataDiskBackup(this, "Snapshots", {
        environment: env.name,
        volumeArn: this.vm.dataVolume.arn,
        key: diskKey,
        copyKey,
        copyProvider,
        startHourUtc: env.vm.snapshots.startHourUtc,
        retainDays: env.vm.snapshots.retainDays,
        vaultLock: env.vm.snapshots.vaultLock,
      });
    }

    const outputs: Record<string, string> = {
      instance_id: this.vm.instance.id,
      public_ip: this.vm.publicIp,
      data_volume_id: this.vm.dataVolume.id,
      security_group_id: this.vm.securityGroup.id,
      instance_role_arn: this.vm.role.arn,
      vpc_id: network.vpcId,
      subnet_id: network.subnetId,
      disk_key_arn: diskKey.arn,
    };
    if (this.snapshots) {
      outputs.snapshot_vault_arn = this.snapshots.vault.arn;
      outputs.snapshot_copy_vault_arn = this.snapshots.copyVault.arn;
    }
    for (const [id, value] of Object.entries(outputs)) new TerraformOutput(this, id, { value });
  }
}
