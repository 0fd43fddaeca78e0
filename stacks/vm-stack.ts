/**
 * `packagecloud-<env>-vm`: packagecloud on one EC2 instance with its 2 TB xfs data disk (seeds 000, 003),
 * synthesized for every environment so that it is ready to deploy whichever variant runs today: it is also
 * what the disaster-recovery runbook rebuilds.
 */
import type { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { DataAwsAvailabilityZone } from "@cdktf/provider-aws/lib/data-aws-availability-zone";
import { DataAwsEc2InstanceTypeOfferings } from "@cdktf/provider-aws/lib/data-aws-ec2-instance-type-offerings";
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
import { VM_AGE_IDENTITY_FILE, vmFirstBootExtension } from "../backup/jobs";
import { APT_AUTH_FILE, PACKAGECLOUD_CONFIG_FILE, vmSecretParameter } from "../constructs/vm-config";
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

    // Issue 21 item 8: zone names differ per account, and not every type is offered in every zone. Both are checked
    // at plan time, before anything is created: the name must be the configured physical zone (by id), and the
    // instance type must be offered there (DescribeInstanceTypeOfferings, location type availability-zone-id).
    new DataAwsAvailabilityZone(this, "VmZone", {
      name: env.vm.availabilityZone,
      lifecycle: {
        postcondition: [
          {
            condition: `\${self.zone_id == "${env.vm.availabilityZoneId}"}`,
            errorMessage: `vm.availabilityZone ${env.vm.availabilityZone} is not zone ${env.vm.availabilityZoneId} in this account: set vm.availabilityZone (config/environments.ts, ${env.name}) to the name DescribeAvailabilityZones gives for ${env.vm.availabilityZoneId}`,
          },
        ],
      },
    });
    new DataAwsEc2InstanceTypeOfferings(this, "VmTypeOffered", {
      locationType: "availability-zone-id",
      filter: [
        { name: "location", values: [env.vm.availabilityZoneId] },
        { name: "instance-type", values: [env.vm.instanceType] },
      ],
      lifecycle: {
        postcondition: [
          {
            condition: `\${contains(self.instance_types, "${env.vm.instanceType}")}`,
            errorMessage: `vm.instanceType ${env.vm.instanceType} is not offered in zone ${env.vm.availabilityZoneId}: choose a type offered there (aws ec2 describe-instance-type-offerings --location-type availability-zone-id) in config/environments.ts (${env.name})`,
          },
        ],
      },
    });
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
      region: env.aws.region,
      accountId: targetAccountId(env, target),
      internetGateway: network.internetGateway,
      // Nothing is placed on the VM by hand: what cannot be in Terraform (state is readable) is put once into SSM
      // Parameter Store as a SecureString (docs/vm.md, "Secrets"), and the VM reads it with its role at every run.
      secrets: [
        { parameter: vmSecretParameter(env.name, "apt-auth"), path: APT_AUTH_FILE, owner: "root:root", permissions: "0600" },
        { parameter: vmSecretParameter(env.name, "packagecloud-rb"), path: PACKAGECLOUD_CONFIG_FILE, owner: "root:root", permissions: "0600" },
        { parameter: vmSecretParameter(env.name, "age-identity"), path: VM_AGE_IDENTITY_FILE, owner: "root:root", permissions: "0400" },
      ],
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
      config_bucket_name: this.vm.configBucket.bucketName,
    };
    if (this.snapshots) {
      outputs.snapshot_vault_arn = this.snapshots.vault.arn;
      outputs.snapshot_copy_vault_arn = this.snapshots.copyVault.arn;
    }
    for (const [id, value] of Object.entries(outputs)) new TerraformOutput(this, id, { value });
  }
}
