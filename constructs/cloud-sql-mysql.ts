/**
 * Cloud SQL for MySQL 8.0, packagecloud's database (seed 001: packagecloud uses MySQL; Google-managed daily
 * backups, 30 kept). Private IP only with TLS required; automated backups counted (not days) and retained when
 * the instance is deleted; binary logging for point-in-time recovery; both deletion protections (Terraform's
 * and the API's, which also guards the console and gcloud) plus `prevent_destroy`; IAM database authentication
 * so no password lives in code or state; hardened flags set explicitly; maintenance on the stable track;
 * customer-managed encryption.
 *
 * @example
 *   const db = new CloudSqlMysql(this, "Database", { environment: "ops", region, networkId, sql, encryptionKeyId,
 *     iamUsers: [app.email], dependsOn: [network.privateServiceAccess] });
 *   db.connectionName
 */
import { Construct } from "constructs";
import { Fn, TerraformStack, type ITerraformDependable } from "cdktf";
import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret";
import { SecretManagerSecretVersion } from "@cdktf/provider-google/lib/secret-manager-secret-version";
import { SqlDatabase } from "@cdktf/provider-google/lib/sql-database";
import { SqlDatabaseInstance } from "@cdktf/provider-google/lib/sql-database-instance";
import { SqlUser } from "@cdktf/provider-google/lib/sql-user";
import type { EnvName, EnvironmentConfig } from "../config";
import { cloudSqlInstanceName, resourceName } from "../config/naming";

/** Flags set explicitly, never inherited: CIS benchmark for Cloud SQL MySQL, plus IAM authentication. */
export const MYSQL_FLAGS = {
  local_infile: "off",
  skip_show_database: "on",
  cloudsql_iam_authentication: "on",
} as const;

export const DATABASE_NAME = "packagecloud";

/**
 * The built-in admin user (issue 22): the provider deletes `root`@`%` right after creating a MySQL primary
 * (google v6.50.0, services/sql/resource_sql_database_instance.go, "If a default root user was created with a
 * wildcard ('%') hostname, delete it"), and Cloud SQL gives IAM database users no privileges until someone runs
 * GRANT. This user runs the grants (backup/database-grants.ts) and is the break-glass login.
 */
export const ADMIN_USER = "packagecloud-admin";

/**
 * The provider that makes the admin password: hashicorp/random's ephemeral `random_password` (new in 3.7.0; this pin
 * is the newest release, whose ephemeral resource is unchanged since then apart from counting multi-byte special
 * characters correctly: CHANGELOG.md 3.9.0). Terraform downloads it like any provider; no job needs another tool.
 */
export const RANDOM_PROVIDER = { source: "hashicorp/random", version: "3.9.0" } as const;

/** `ephemeral.random_password.<this>`: the admin password, opened anew by every plan and apply, never stored. */
export const ADMIN_PASSWORD_EPHEMERAL = "sql_admin_password";

/**
 * The password's shape (hashicorp/random v3.9.0 internal/provider/ephemeral_password.go:59-128): 40 characters of
 * upper, lower and digits, about 238 bits. No special characters: the password passes through a Kubernetes Secret
 * into the grants Job's MySQL client (backup/database-grants.ts), where none of them can then need quoting.
 */
export const ADMIN_PASSWORD_SHAPE = { length: 40, special: false } as const;

/** The Secret Manager secret holding the admin password: `packagecloud-<env>-sql-admin`. */
export const adminSecretId = (environment: EnvName) => resourceName(environment, "sql-admin");

export interface CloudSqlMysqlProps {
  readonly environment: EnvName;
  readonly region: string;
  readonly networkId: string;
  readonly sql: EnvironmentConfig["gcp"]["sql"];
  readonly encryptionKeyId: string;
  /** Google service accounts that log in with IAM database authentication, by a stable key. */
  readonly iamServiceAccounts: Readonly<Record<string, string>>;
  readonly labels: Record<string, string>;
  /** The private service access connection and the key grant's propagation wait: the instance needs both first. */
  readonly dependsOn: ITerraformDependable[];
  /**
   * Bump to rotate the admin password: the next apply's freshly generated password is then written to the user and
   * as a new secret version. While it is unchanged the password each plan and apply generates is sent but never
   * used (write-only arguments are applied on create and when their `_wo_version` changes). Default 1.
   */
  readonly adminPasswordVersion?: number;
}

export class CloudSqlMysql extends Construct {
  readonly instance: SqlDatabaseInstance;
  /** The instance's name, as a literal (config decides it: cloudSqlInstanceName). */
  readonly name: string;
  readonly connectionName: string;
  readonly adminUser: SqlUser;
  readonly adminSecret: SecretManagerSecret;

  constructor(scope: Construct, id: string, props: CloudSqlMysqlProps) {
    super(scope, id);
    const sql = props.sql;
    if (sql.transactionLogRetentionDays >= sql.retainedBackups) {
      throw new Error(
        `CloudSqlMysql ${this.node.path}: transactionLogRetentionDays (${sql.transactionLogRetentionDays}) must be fewer than retainedBackups (${sql.retainedBackups})`,
      );
    }
    this.name = cloudSqlInstanceName({ name: props.environment, gcp: { sql } });
    this.instance = new SqlDatabaseInstance(this, "Default", {
      name: this.name,
      region: props.region,
      databaseVersion: "MYSQL_8_0",
      encryptionKeyName: props.encryptionKeyId,
      deletionProtection: true,
      // disk_autoresize grows the disk; a plan that then "shrinks" it back would replace the instance (ForceNew),
      // which prevent_destroy turns into a plan error. The provider's docs: "To avoid this, set
      // lifecycle.ignore_changes on this field" (google v6.50.0, website/docs/r/sql_database_instance.html.markdown:387-391).
      lifecycle: { preventDestroy: true, ignoreChanges: ["settings[0].disk_size"] },
      dependsOn: props.dependsOn,
      settings: {
        tier: sql.tier,
        edition: "ENTERPRISE",
        availabilityType: sql.availability,
        diskType: "PD_SSD",
        diskSize: sql.diskGb,
        diskAutoresize: true,
        deletionProtectionEnabled: true,
        // Keep the automated backups if the instance is ever deleted: they are the restore point of last resort.
        retainBackupsOnDelete: true,
        userLabels: props.labels,
        backupConfiguration: {
          enabled: true,
          // For MySQL, point-in-time recovery is binary logging (point_in_time_recovery_enabled is PostgreSQL's).
          binaryLogEnabled: true,
          startTime: sql.backupStartUtc,
          transactionLogRetentionDays: sql.transactionLogRetentionDays,
          backupRetentionSettings: { retainedBackups: sql.retainedBackups, retentionUnit: "COUNT" },
        },
        ipConfiguration: {
          ipv4Enabled: false,
          privateNetwork: props.networkId,
          sslMode: "ENCRYPTED_ONLY",
          enablePrivatePathForGoogleCloudServices: true,
        },
        databaseFlags: Object.entries(MYSQL_FLAGS).map(([name, value]) => ({ name, value })),
        maintenanceWindow: { day: sql.maintenanceDay, hour: sql.maintenanceHourUtc, updateTrack: "stable" },
        insightsConfig: { queryInsightsEnabled: true, recordApplicationTags: false, recordClientAddress: false },
      },
    });
    new SqlDatabase(this, "Packagecloud", {
      name: DATABASE_NAME,
      instance: this.instance.name,
      charset: "utf8mb4",
      collation: "utf8mb4_0900_ai_ci",
      // The data goes with the instance, which is protected; never drop the database on its own.
      deletionPolicy: "ABANDON",
    });
    for (const [key, email] of Object.entries(props.iamServiceAccounts)) {
      new SqlUser(this, `iam-${key}`, {
        instance: this.instance.name,
        // A service account's database user is its email without ".gserviceaccount.com" (google_sql_user docs).
        name: Fn.trimsuffix(email, ".gserviceaccount.com"),
        type: "CLOUD_IAM_SERVICE_ACCOUNT",
        deletionPolicy: "ABANDON",
      });
    }

    // The admin path. Terraform makes the password itself: an ephemeral random_password (Terraform >= 1.10 opens it
    // anew in every plan and apply and keeps its value out of plan files and state), used only in write-only
    // arguments (Terraform >= 1.11), which providers never store: the user's `password_wo` (google v6.50.0
    // resource_sql_user.go, WriteOnly) and the secret version's `secret_data_wo`. One apply opens it once, so both
    // get the same value. No job reads a secret and no job needs gcloud (issue 27 §1): the pipeline's identity
    // alone deploys, the first time and every time. State holds the secret's name, the version's name and the two
    // `_wo_version` numbers, never the password (test/engine/standin-terraform.test.ts searches plan, state and
    // output for the value the stand-ins received). `password` and `secret_data` (stored in state, Sensitive only
    // hides them in output) stay unset, and no data source reads the secret back (a data source's result is in state).
    // A rebuilt instance (a new generation, docs/disaster-recovery.md) creates its admin user with this apply's
    // password; the surviving secret must get it too, so the generation is part of the version: 1000 per generation
    // on top of the rotation number, which keeps today's number (generation 1) and so rotates nothing deployed.
    const version = (props.adminPasswordVersion ?? 1) + (props.sql.instanceGeneration - 1) * 1000;
    const stack = TerraformStack.of(this);
    // cdktf 0.21 has no ephemeral block type: Terraform JSON takes a top-level "ephemeral" object as written here.
    stack.addOverride(`terraform.required_providers.random`, RANDOM_PROVIDER);
    stack.addOverride(`ephemeral.random_password.${ADMIN_PASSWORD_EPHEMERAL}`, ADMIN_PASSWORD_SHAPE);
    const password = `\${ephemeral.random_password.${ADMIN_PASSWORD_EPHEMERAL}.result}`;
    this.adminSecret = new SecretManagerSecret(this, "AdminPassword", {
      secretId: adminSecretId(props.environment),
      labels: props.labels,
      replication: { auto: {} },
      deletionProtection: true,
      lifecycle: { preventDestroy: true },
    });
    new SecretManagerSecretVersion(this, "AdminPasswordVersion", {
      secret: this.adminSecret.id,
      secretDataWo: password,
      secretDataWoVersion: version,
      // A rotation replaces this version: disable the old one rather than destroy it (it can be re-enabled).
      deletionPolicy: "DISABLE",
    });
    this.adminUser = new SqlUser(this, "admin", {
      instance: this.instance.name,
      name: ADMIN_USER,
      // '%' through the Cloud SQL Auth Proxy (the only way in: private IP, TLS required); the proxy's connections
      // arrive from Google's side, not from a fixed address.
      host: "%",
      type: "BUILT_IN",
      passwordWo: password,
      passwordWoVersion: version,
      deletionPolicy: "ABANDON",
    });
    this.connectionName = this.instance.connectionName;
  }
}
