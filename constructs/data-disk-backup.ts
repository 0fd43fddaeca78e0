/**
 * Daily snapshots of the VM's data volume with AWS Backup: a vault per region, each with a Vault Lock, a plan
 * that keeps the recovery points for the configured days and copies each to the replica region.
 *
 * Why AWS Backup and not DLM: a locked vault refuses to delete recovery points before their retention even to
 * an administrator (in compliance mode, even to root), and the cross-region copy lives in a second locked vault;
 * DLM snapshots can be deleted by anyone with ec2:DeleteSnapshot.
 *
 * @example
 *   new DataDiskBackup(this, "Snapshots", { environment: "ops", volumeArn: vm.dataVolume.arn, key, copyKey,
 *     copyProvider, startHourUtc: 3, retainDays: 14, vaultLock: { minRetentionDays: 14, maxRetentionDays: 35 } });
 */
import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { BackupPlan } from "@cdktf/provider-aws/lib/backup-plan";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import { BackupVaultLockConfiguration } from "@cdktf/provider-aws/lib/backup-vault-lock-configuration";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { EnvName } from "../config";
import type { EncryptionKey } from "./encryption-key";
import { resourceName } from "../config/naming";
import { policyDocument } from "./policy-document";

export interface VaultLock {
  readonly minRetentionDays: number;
  readonly maxRetentionDays: number;
  /** @default - governance mode: the lock can be removed by an administrator */
  readonly changeableForDays?: number;
}

export interface DataDiskBackupProps {
  readonly environment: EnvName;
  readonly volumeArn: string;
  /** Encrypts the primary vault. */
  readonly key: EncryptionKey;
  /** Encrypts the copy vault; a key of the copy region. */
  readonly copyKey: EncryptionKey;
  /** Provider for the copy region. */
  readonly copyProvider: TerraformProvider;
  readonly startHourUtc: number;
  readonly retainDays: number;
  readonly vaultLock: VaultLock;
}

/** AWS managed policies for the AWS Backup service role (back up, and restore during DR). */
export const BACKUP_SERVICE_POLICIES = {
  backup: "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
  restore: "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
} as const;

export class DataDiskBackup extends Construct {
  readonly vault: BackupVault;
  readonly copyVault: BackupVault;
  readonly plan: BackupPlan;

  constructor(scope: Construct, id: string, props: DataDiskBackupProps) {
    super(scope, id);
    const where = `DataDiskBackup ${this.node.path}`;
    const lock = props.vaultLock;
    if (props.retainDays < lock.minRetentionDays || props.retainDays > lock.maxRetentionDays) {
      throw new Error(`${where}: retainDays (${props.retainDays}) must lie within the vault lock's ${lock.minRetentionDays}-${lock.maxRetentionDays} days`);
    }
    if (!Number.isInteger(props.startHourUtc) || props.startHourUtc < 0 || props.startHourUtc > 23) {
      throw new Error(`${where}: startHourUtc must be a whole hour from 0 to 23 (got ${props.startHourUtc})`);
    }
    const name = resourceName(props.environment, "vm-data");

    this.vault = new BackupVault(this, "Vault", {
      name,
      kmsKeyArn: props.key.arn,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    this.copyVault = new BackupVault(this, "CopyVault", {
      provider: props.copyProvider,
      name: `${name}-copy`,
      kmsKeyArn: props.copyKey.arn,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    for (const [lockId, vault, provider] of [["VaultLock", this.vault, undefined], ["CopyVaultLock", this.copyVault, props.copyProvider]] as const) {
      new BackupVaultLockConfiguration(this, lockId, {
        provider,
        backupVaultName: vault.name,
        minRetentionDays: lock.minRetentionDays,
        maxRetentionDays: lock.maxRetentionDays,
        changeableForDays: lock.changeableForDays,
        // After changeable_for_days the lock is immutable (compliance mode): AWS refuses to delete or change it,
        // so a replacing plan would fail half-way. Its values are frozen from then on (README, "The VM variant").
        lifecycle: { preventDestroy: true },
      });
    }

    const role = new IamRole(this, "Role", {
      name: `${name}-backup`,
      description: "AWS Backup: snapshots of the packagecloud data volume, and restores",
      assumeRolePolicy: policyDocument([
        { Sid: "AwsBackup", Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]),
    });
    for (const [key, arn] of Object.entries(BACKUP_SERVICE_POLICIES)) {
      new IamRolePolicyAttachment(this, `policy-${key}`, { role: role.name, policyArn: arn });
    }

    this.plan = new BackupPlan(this, "Plan", {
      name,
      rule: [
        {
          ruleName: "daily",
          targetVaultName: this.vault.name,
          schedule: `cron(0 ${props.startHourUtc} * * ? *)`,
          startWindow: 60,
          completionWindow: 480,
          lifecycle: { deleteAfter: props.retainDays },
          copyAction: [{ destinationVaultArn: this.copyVault.arn, lifecycle: { deleteAfter: props.retainDays } }],
          recoveryPointTags: { Environment: props.environment, Component: "vm-data" },
        },
      ],
    });
    new BackupSelection(this, "Selection", {
      name,
      planId: this.plan.id,
      iamRoleArn: role.arn,
      resources: [props.volumeArn],
    });
  }
}
