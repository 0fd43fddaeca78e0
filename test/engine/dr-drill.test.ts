/**
 * The disaster-recovery drill (scripts/lib/dr-drill.ts) against the emulator: packagecloud-pre-storage and
 * packagecloud-pre-vm deployed in dependency order into an empty emulator, the instance lost and rebuilt. Then,
 * through the EC2 API: the rebuilt instance, its volumes and attachment, and the security group's rules are what
 * the config says; the data volume and the buckets survived; a second plan is clean; destroying the data volume
 * is refused.
 */
import {
  DescribeAddressesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeVolumesCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { loadEnvironments } from "../../config";
import { EXPORTER_PORTS } from "../../constructs/packagecloud-vm";
import { formatSteps, runDrill, type DrillResult } from "../../scripts/lib/dr-drill";
import { stackDir, stackEnv, type StackOutputs } from "../../scripts/lib/emulator-deploy";
import { terraform } from "../../scripts/lib/terraform";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const env = loadEnvironments().pre;
let drill: DrillResult;
let vm: StackOutputs;
let ec2: EC2Client;

beforeAll(async () => {
  drill = await runDrill("pre");
  // The timings, for the README and the issue note.
  console.log(`DR drill (pre):\n${formatSteps(drill.steps)}`);
  vm = drill.outputs["packagecloud-pre-vm"];
  ec2 = new EC2Client({ endpoint: drill.emulator.endpoint, region: env.aws.region, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
}, 900_000);

afterAll(async () => {
  ec2?.destroy();
  await drill?.cleanup();
});

describe("after losing the instance", () => {
  it("rebuilds it as a new instance with the same Terraform", () => {
    expect(drill.rebuiltInstanceId).toMatch(/^i-/);
    expect(drill.rebuiltInstanceId).not.toBe(drill.lostInstanceId);
  });

  it("keeps the data volume and attaches it to the rebuilt instance", () => {
    expect(drill.dataVolumeId).toBe(drill.outputs["packagecloud-pre-vm"].data_volume_id);
    expect(drill.dataVolumeAttachedTo).toBe(drill.rebuiltInstanceId);
  });

  it("keeps every bucket", () => {
    expect(Object.values(drill.bucketsAfterRebuild)).toEqual([true, true, true, true]);
  });

  it("ends with a plan that shows no changes", () => {
    expect(drill.planAfterRebuild).toBe(0);
  });
});

describe("packagecloud-pre-vm as rebuilt", () => {
  it("runs the configured instance type and AMI, IMDSv2 only, EBS-optimized, with the instance profile", async () => {
    const reservations = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [vm.instance_id] }))).Reservations ?? [];
    const instance = reservations[0]?.Instances?.[0];
    expect(instance).toMatchObject({
      InstanceType: env.vm.instanceType,
      ImageId: env.vm.amiId,
      EbsOptimized: true,
      SubnetId: vm.subnet_id,
      Placement: expect.objectContaining({ AvailabilityZone: env.vm.availabilityZone }),
      MetadataOptions: expect.objectContaining({ HttpTokens: "required", HttpPutResponseHopLimit: 1 }),
    });
    expect(instance?.IamInstanceProfile?.Arn).toMatch(/instance-profile\/packagecloud-pre-vm$/);
    const termination = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: vm.instance_id, Attribute: "disableApiTermination" }));
    expect(termination.DisableApiTermination?.Value).toBe(env.vm.terminationProtection);
  });

  it("attaches the encrypted 2 TB gp2 data volume in the instance's zone as /dev/sdf", async () => {
    const volume = (await ec2.send(new DescribeVolumesCommand({ VolumeIds: [vm.data_volume_id] }))).Volumes?.[0];
    expect(volume).toMatchObject({
      Size: env.vm.dataVolumeGiB,
      VolumeType: "gp2",
      Encrypted: true,
      KmsKeyId: vm.disk_key_arn,
      AvailabilityZone: env.vm.availabilityZone,
    });
    expect(volume?.Attachments).toEqual([expect.objectContaining({ InstanceId: vm.instance_id, Device: "/dev/sdf", State: "attached" })]);
  });

  it("publishes the instance at its Elastic IP", async () => {
    const addresses = (await ec2.send(new DescribeAddressesCommand({ PublicIps: [vm.public_ip] }))).Addresses ?? [];
    expect(addresses).toEqual([expect.objectContaining({ InstanceId: vm.instance_id, Domain: "vpc" })]);
  });

  it("opens 80/443 to the world, 22 to admins, the exporters to Prometheus, each rule described", async () => {
    const rules =
      (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [vm.security_group_id] }] }))).SecurityGroupRules ?? [];
    const ingress = rules.filter((r) => !r.IsEgress);
    const sources = (port: number) => ingress.filter((r) => r.FromPort === port).map((r) => r.CidrIpv4 ?? r.CidrIpv6).sort();
    expect(sources(80)).toEqual(["0.0.0.0/0", "::/0"]);
    expect(sources(443)).toEqual(["0.0.0.0/0", "::/0"]);
    expect(sources(22)).toEqual([...env.network.adminCidrs].sort());
    for (const port of Object.values(EXPORTER_PORTS)) expect(sources(port)).toEqual([...env.network.prometheusCidrs].sort());
    expect(ingress).toHaveLength(4 + env.network.adminCidrs.length + Object.keys(EXPORTER_PORTS).length * env.network.prometheusCidrs.length);
    for (const rule of rules) expect(rule.Description).toMatch(/\S/);
    expect(rules.filter((r) => r.IsEgress).map((r) => r.FromPort).sort()).toEqual([443, 443, 80, 80]);
  });

  it("refuses to destroy the data volume", () => {
    const destroy = terraform(["plan", "-destroy", "-input=false", "-target=aws_ebs_volume.vm_data_volume"], stackDir(drill.workspace, "packagecloud-pre-vm"), stackEnv(drill.workspace, "packagecloud-pre-vm"));
    expect(destroy.code).not.toBe(0);
    expect(destroy.stderr.replace(/\s+/g, " ")).toMatch(/aws_ebs_volume\.vm_data_volume has lifecycle\.prevent_destroy set/);
  }, 300_000);
});
