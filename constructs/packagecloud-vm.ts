/**
 * packagecloud on one EC2 instance, the way packages.gitlab.com ran for years (seed 000): the instance with an
 * encrypted root volume and IMDSv2 only, a separate encrypted data volume and attachment (changing the volume
 * never replaces the instance), a network interface whose Elastic IP is associated before the instance boots
 * (first boot reaches the internet at once), a security group that opens 80/443 to the world and the exporters
 * to Prometheus only, and an instance role instead of static keys. Administrators reach the host through AWS
 * Systems Manager Session Manager (the role carries AmazonSSMManagedInstanceCore); port 22 opens only to
 * configured admin networks.
 *
 * @example
 *   const vm = new PackagecloudVm(this, "Vm", { environment: "ops", vpcId, subnetId, availabilityZone: "us-west-1b",
 *     instanceType: "c4.2xlarge", amiId, rootVolumeGiB: 8, dataVolumeGiB: 2048, encryptionKey, adminCidrs,
 *     prometheusCidrs, managedPolicyArns, apt, terminationProtection: true });
 *   vm.dataVolume.arn; vm.publicIp
 */
import { Construct } from "constructs";
import { EbsVolume } from "@cdktf/provider-aws/lib/ebs-volume";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { NetworkInterface } from "@cdktf/provider-aws/lib/network-interface";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VolumeAttachment } from "@cdktf/provider-aws/lib/volume-attachment";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { EnvName } from "../config";
import { checkCidr, isWorldOpen, parseCidr } from "../config/validators";
import type { EncryptionKey } from "./encryption-key";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import type { ITerraformDependable } from "cdktf";
import { Ec2InstanceState } from "@cdktf/provider-aws/lib/ec2-instance-state";
import { defaultNetworkWait, DATA_DEVICE_NAME, type AptRepository, type FirstBootExtension } from "./first-boot";
import { BucketEncryption, SecureBucket } from "./secure-bucket";
import { bootstrapUserData, bundleForTerraform, VM_CONFIG_KEY, type BundleSecret, type ConfigLocation } from "./vm-config";
import { distinctIds } from "./construct-ids";
import { resourceName } from "../config/naming";
import { policyDocument } from "./policy-document";

/** Where packagecloud keeps everything (seed 000). */
export const DATA_MOUNT_POINT = "/var/opt/packagecloud";

/**
 * The exporters Prometheus scrapes on the VM: the host, and the omnibus package's embedded MySQL, Redis and nginx
 * (seed 000). Backup metrics come through the node exporter's textfile collector.
 */
/**
 * The AWS managed policy that lets the SSM agent (preinstalled on Ubuntu's AMIs) register the instance, so that
 * Session Manager is the admin path without any inbound port. ARN from the AWS Managed Policy Reference:
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html
 */
export const SSM_MANAGED_INSTANCE_CORE = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";

/**
 * The security group's description. EC2 cannot change a group's description (aws 5.100.0: `description` is
 * ForceNew), so a description that followed the configuration would replace the group and all its rules when,
 * say, the first admin network is added. It is the text the deployed groups of pre and ops already carry (they have
 * no admin networks), so no deployed group is replaced by fixing it; every rule describes itself.
 */
export const SECURITY_GROUP_DESCRIPTION = "packagecloud VM: web from anywhere, exporters from Prometheus";

export const EXPORTER_PORTS = {
  "node-exporter": 9100,
  "mysqld-exporter": 9104,
  "redis-exporter": 9121,
  "nginx-exporter": 9113,
} as const;

export interface PackagecloudVmProps {
  readonly environment: EnvName;
  readonly vpcId: string;
  readonly subnetId: string;
  readonly availabilityZone: string;
  readonly instanceType: string;
  /** Pinned in config: a rebuild gets the reviewed image, never "the latest". */
  readonly amiId: string;
  readonly rootVolumeGiB: number;
  readonly dataVolumeGiB: number;
  /** @default - a blank data volume (formatted xfs on first boot) */
  readonly dataVolumeSnapshotId?: string;
  readonly terminationProtection: boolean;
  /** Encrypts the root and data volumes. */
  readonly encryptionKey: EncryptionKey;
  /**
   * The only sources of SSH. Never the whole internet.
   * @default - none: no port 22 at all; administrators use Session Manager
   */
  readonly adminCidrs?: readonly string[];
  /** The only sources allowed to scrape the exporters. */
  readonly prometheusCidrs: readonly string[];
  /** Managed policies for the instance role, keyed by a stable name (the key becomes part of the address). */
  readonly managedPolicyArns: Readonly<Record<string, string>>;
  readonly apt: AptRepository;
  /** Added to the VM's configuration after the base steps (e.g. the offsite backup's timer). @default - none */
  readonly firstBootExtensions?: readonly FirstBootExtension[];
  /** The region and account the VM runs in (the config bucket's name, the SSM parameters' ARNs). */
  readonly region: string;
  readonly accountId: string;
  /** Secrets the VM reads from SSM Parameter Store with its role (the apt token, the age identity). @default - none */
  readonly secrets?: readonly BundleSecret[];
  /**
   * The internet gateway of the VPC, when this stack makes it: the Elastic IP waits for it (aws_eip docs: "EIP may
   * require IGW to exist prior to association. Use depends_on to set an explicit dependency on the IGW").
   * @default - none (an existing VPC's gateway already exists)
   */
  readonly internetGateway?: ITerraformDependable;
}

const slug = (cidr: string) => cidr.replace(/[^0-9a-fA-F]+/g, "-").replace(/-$/, "");

export class PackagecloudVm extends Construct {
  readonly instance: Instance;
  readonly dataVolume: EbsVolume;
  readonly attachment: VolumeAttachment;
  readonly securityGroup: SecurityGroup;
  readonly role: IamRole;
  readonly publicIp: string;
  readonly eip: Eip;
  /** The instance's primary interface; it and its Elastic IP outlive a rebuilt instance. */
  readonly networkInterface: NetworkInterface;
  /** The bucket the VM reads its configuration bundle from, and the bundle (constructs/vm-config.ts). */
  readonly configBucket: SecureBucket;
  readonly configBundle: S3Object;
  /**
   * Keeps the instance running: detaching the data volume (a restore replaces the attachment) stops it, and the
   * provider starts nothing again.
   */
  readonly running: Ec2InstanceState;

  constructor(scope: Construct, id: string, props: PackagecloudVmProps) {
    super(scope, id);
    const where = `PackagecloudVm ${this.node.path}`;
    const adminCidrs = props.adminCidrs ?? [];
    for (const [field, cidrs] of [["adminCidrs", adminCidrs], ["prometheusCidrs", props.prometheusCidrs]] as const) {
      if (field === "prometheusCidrs" && cidrs.length === 0) throw new Error(`${where}: ${field} must list at least one CIDR block`);
      for (const cidr of cidrs) {
        const problem = checkCidr(cidr);
        if (problem) throw new Error(`${where}: ${field} entry "${cidr}" ${problem}`);
        if (isWorldOpen(cidr)) {
          throw new Error(`${where}: ${field} entry "${cidr}" opens ${field === "adminCidrs" ? "SSH" : "the exporters"} to the whole internet; list the specific networks`);
        }
      }
    }
    const name = resourceName(props.environment, "vm");

    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      // A prefix, not a fixed name: create_before_destroy makes the replacement while the old group still exists,
      // and EC2 refuses a second group of the same name in the VPC (InvalidGroup.Duplicate). The Name tag stays
      // fixed for people searching the console.
      namePrefix: `${name}-`,
      description: SECURITY_GROUP_DESCRIPTION,
      vpcId: props.vpcId,
      tags: { Name: name },
      // Rules are separate resources (below): inline rules and rule resources fight over the same group.
      // Create before destroy: the interface keeps using the old group until the new one exists.
      lifecycle: { createBeforeDestroy: true },
    });
    const ingress = (ruleId: string, port: number, cidr: string, description: string) => {
      const v6 = parseCidr(cidr)?.family === 6;
      new VpcSecurityGroupIngressRule(this, ruleId, {
        securityGroupId: this.securityGroup.id,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrIpv4: v6 ? undefined : cidr,
        cidrIpv6: v6 ? cidr : undefined,
        description,
        tags: { Name: `${name}-${ruleId}` },
      });
    };
    // A package server: downloads and the UI over HTTP(S) are for everyone (CKV_AWS_260 by design).
    for (const [proto, port] of [["http", 80], ["https", 443]] as const) {
      ingress(`${proto}-ipv4`, port, "0.0.0.0/0", `${proto.toUpperCase()} from anywhere (IPv4): package downloads and the UI`);
      ingress(`${proto}-ipv6`, port, "::/0", `${proto.toUpperCase()} from anywhere (IPv6): package downloads and the UI`);
    }
    // distinctIds: two networks can share a slug (2001:db8::a/128, 2001:db8:a::/128).
    for (const [cidr, id] of distinctIds(adminCidrs, (c) => `ssh-from-${slug(c)}`)) ingress(id, 22, cidr, `SSH from admin network ${cidr}`);
    for (const [exporter, port] of Object.entries(EXPORTER_PORTS)) {
      for (const [cidr, id] of distinctIds(props.prometheusCidrs, (c) => `${exporter}-from-${slug(c)}`)) ingress(id, port, cidr, `${exporter} scraped by Prometheus at ${cidr}`);
    }
    // Out: HTTPS (S3, CloudFront management, the apt repository) and HTTP (Ubuntu mirrors) only. DNS to the VPC
    // resolver and NTP to the link-local time service are not filtered by security groups.
    for (const [proto, port] of [["http", 80], ["https", 443]] as const) {
      for (const [family, cidr] of [["ipv4", "0.0.0.0/0"], ["ipv6", "::/0"]] as const) {
        new VpcSecurityGroupEgressRule(this, `egress-${proto}-${family}`, {
          securityGroupId: this.securityGroup.id,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          cidrIpv4: family === "ipv4" ? cidr : undefined,
          cidrIpv6: family === "ipv6" ? cidr : undefined,
          description: `${proto.toUpperCase()} out (${family}): apt, S3, CloudFront management`,
          tags: { Name: `${name}-egress-${proto}-${family}` },
        });
      }
    }

    this.role = new IamRole(this, "Role", {
      name,
      description: "packagecloud VM: backups (put-only) and the application's S3 and CloudFront rights; no static keys",
      assumeRolePolicy: policyDocument([
        { Sid: "Ec2", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]),
    });
    const policies = { "ssm-core": SSM_MANAGED_INSTANCE_CORE, ...props.managedPolicyArns };
    for (const [key, arn] of Object.entries(policies)) {
      new IamRolePolicyAttachment(this, `policy-${key}`, { role: this.role.name, policyArn: arn });
    }
    const profile = new IamInstanceProfile(this, "InstanceProfile", { name, role: this.role.name });

    this.dataVolume = new EbsVolume(this, "DataVolume", {
      availabilityZone: props.availabilityZone,
      size: props.dataVolumeGiB,
      type: "gp2",
      encrypted: true,
      kmsKeyId: props.encryptionKey.arn,
      snapshotId: props.dataVolumeSnapshotId,
      // If the volume is ever deleted through Terraform after all, a last snapshot is taken first.
      finalSnapshot: true,
      tags: { Name: `${name}-data`, MountPoint: DATA_MOUNT_POINT },
      lifecycle: { preventDestroy: true },
    });

    // The public address exists before the instance: the interface is made first, its Elastic IP associated to
    // it, and the instance boots on that interface, so first boot (apt, the packagecloud repository) has the
    // internet from its first second. The subnet maps no public IPs on purpose (vm-network.ts).
    this.networkInterface = new NetworkInterface(this, "NetworkInterface", {
      subnetId: props.subnetId,
      securityGroups: [this.securityGroup.id],
      description: "packagecloud VM primary interface (carries the Elastic IP)",
      tags: { Name: name },
    });
    this.eip = new Eip(this, "PublicAddress", {
      domain: "vpc",
      networkInterface: this.networkInterface.id,
      tags: { Name: name },
      // AssociateAddress fails with Gateway.NotAttached while the VPC has no attached internet gateway; the
      // provider's aws_eip docs (v5.100.0, website/docs/r/eip.html.markdown) say to depend on it explicitly.
      dependsOn: props.internetGateway ? [props.internetGateway] : undefined,
    });
    this.publicIp = this.eip.publicIp;

    // Everything that changes after the first boot reaches the VM through this bundle, never through user data
    // (constructs/vm-config.ts says why). Encrypted with the disk key; read only by this role.
    this.configBucket = new SecureBucket(this, "ConfigBucket", {
      bucketName: `${name}-config-${props.accountId}`,
      encryption: BucketEncryption.kms(props.encryptionKey),
      // Old bundles stay 90 days: what the VM ran last quarter can be read back.
      lifecycle: { noncurrentVersionDays: 90 },
    });
    const location: ConfigLocation = { bucket: this.configBucket.configuredBucketName, key: VM_CONFIG_KEY, region: props.region };
    this.configBundle = new S3Object(this, "ConfigBundle", {
      bucket: this.configBucket.bucketName,
      key: VM_CONFIG_KEY,
      contentType: "application/json",
      content: bundleForTerraform({
        location,
        dataDisk: { volumeId: this.dataVolume.id, mountPoint: DATA_MOUNT_POINT },
        apt: props.apt,
        networkWait: defaultNetworkWait(props.apt),
        extensions: props.firstBootExtensions,
        secrets: props.secrets,
      }),
      // The bucket's default encryption (SSE-KMS with the disk key) applies; the bucket policy exists first.
      dependsOn: [this.configBucket.policy],
    });
    const parameterPrefix = `arn:aws:ssm:${props.region}:${props.accountId}:parameter`;
    new IamRolePolicy(this, "ConfigRead", {
      name: "read-own-configuration",
      role: this.role.id,
      policy: policyDocument([
        { Sid: "ReadBundle", Effect: "Allow", Action: "s3:GetObject", Resource: `${this.configBucket.arn}/${VM_CONFIG_KEY}` },
        {
          Sid: "DecryptBundle",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: props.encryptionKey.arn,
          Condition: { StringEquals: { "kms:ViaService": `s3.${props.region}.amazonaws.com` } },
        },
        ...((props.secrets ?? []).length > 0
          ? [
              {
                // SecureStrings under the AWS managed key aws/ssm: its key policy lets account principals decrypt
                // through SSM, so no KMS statement is needed (AWS KMS docs, "AWS managed keys").
                Sid: "ReadSecrets",
                Effect: "Allow" as const,
                Action: "ssm:GetParameter",
                Resource: (props.secrets ?? []).map((s) => `${parameterPrefix}${s.parameter}`),
              },
            ]
          : []),
        {
          // AmazonSSMManagedInstanceCore (attached for Session Manager) allows ssm:GetParameter(s) on "*": every
          // SecureString of the account, other teams' too, decrypts through aws/ssm. Fence it to this VM's own.
          Sid: "NoOtherParameters",
          Effect: "Deny",
          Action: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
          NotResource: (props.secrets ?? []).length > 0 ? (props.secrets ?? []).map((s) => `${parameterPrefix}${s.parameter}`) : `${parameterPrefix}/packagecloud/${props.environment}/vm/*`,
        },
      ]),
    });

    this.instance = new Instance(this, "Instance", {
      ami: props.amiId,
      instanceType: props.instanceType,
      networkInterface: [{ networkInterfaceId: this.networkInterface.id, deviceIndex: 0 }],
      // The interface's subnet fixes the zone; said explicitly so the data volume's zone visibly matches (and
      // moto, which places an instance launched on an interface in the region's first zone, follows it).
      availabilityZone: props.availabilityZone,
      // The address must be associated before boot, not merely exist: order the instance after the association.
      // And after the bundle: the bootstrap reads it at first boot.
      dependsOn: [this.eip, this.configBundle],
      iamInstanceProfile: profile.name,
      ebsOptimized: true,
      monitoring: true,
      disableApiTermination: props.terminationProtection,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        // 1: credentials are not reachable from containers behind another network hop.
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      rootBlockDevice: {
        volumeSize: props.rootVolumeGiB,
        volumeType: "gp2",
        encrypted: true,
        kmsKeyId: props.encryptionKey.arn,
        deleteOnTermination: true,
      },
      // A small, stable bootstrap (constructs/vm-config.ts): install awscli, fetch the bundle, start the agent from
      // it. It names only the bucket, key and region, so a changed script, agent or volume id never changes user
      // data. Gzipped with a fixed header (the same bytes from every synth host); EC2 limits user data to 16 KB.
      userDataBase64: bootstrapUserData(location),
      tags: { Name: name },
      lifecycle: {
        // An AMI bump would replace the instance (ami forces a new resource) and turn termination protection off
        // to do it: a new image is a deliberate rebuild (docs/vm.md), never a side effect of a plan. A user-data
        // change would stop the instance, rewrite it and start it (v5.100.0 ec2_instance.go, resourceInstanceUpdate
        // → modifyInstanceAttributeWithStopStart) and cloud-init would not run it again (once per instance id): a
        // changed bootstrap is for new instances only, and everything else travels in the bundle.
        ignoreChanges: ["ami", "user_data", "user_data_base64"],
      },
    });

    this.attachment = new VolumeAttachment(this, "DataVolumeAttachment", {
      deviceName: DATA_DEVICE_NAME,
      volumeId: this.dataVolume.id,
      instanceId: this.instance.id,
      // Detach cleanly: stop the instance first, so xfs is unmounted, never torn from a running host.
      stopInstanceBeforeDetaching: true,
    });

    // Replacing the attachment (a restore from a snapshot: a new volume id) stops the instance to detach, attaches
    // the new volume and starts nothing (aws 5.100.0, volume_attachment.go: resourceVolumeAttachmentDelete →
    // stopVolumeAttachmentInstance; create waits for running or stopped), and the next plan shows no change: the
    // service stayed down. This resource is replaced with the attachment, after it (replace_triggered_by), and its
    // create starts the instance and waits until it runs (ec2_instance_state.go: waitInstanceReady, then
    // updateInstanceState → startInstance). Its delete only forgets (schema.NoopContext). An instance stopped by
    // hand is started again by the next apply: stop it for maintenance outside Terraform's runs.
    this.running = new Ec2InstanceState(this, "InstanceRunning", {
      instanceId: this.instance.id,
      state: "running",
      dependsOn: [this.attachment],
    });
    // A bare address: cdktf 0.21 writes a reference as "${...}", which Terraform refuses in replace_triggered_by
    // ("Invalid character", terraform init, measured here).
    this.running.addOverride("lifecycle.replace_triggered_by", [`${this.attachment.terraformResourceType}.${this.attachment.friendlyUniqueId}`]);
  }
}
