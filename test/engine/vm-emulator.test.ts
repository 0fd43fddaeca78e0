/**
 * packagecloud-pre-storage and packagecloud-pre-vm applied together into moto_server, in dependency order, then
 * checked through the EC2 API: the instance, its volumes and attachment, and the security group's rules are
 * what the config says; a second plan is clean; destroying the data volume is refused.
 */
import {
  DescribeAddressesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeVolumesCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadEnvironments } from "../../config";
import { EXPORTER_PORTS } from "../../constructs/packagecloud-vm";
import { applyStack, configuredAmiIds, stackDir, stackEnv, synthForEmulator, type EmulatorWorkspace, type StackOutputs } from "../../scripts/lib/emulator-deploy";
import { startEmulator, type Emulator } from "../../scripts/lib/moto";
import { terraform } from "../../scripts/lib/terraform";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const env = loadEnvironments().pre;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-vm-emulator-"));
let emulator: Emulator;
let ws: EmulatorWorkspace;
let vm: StackOutputs;
let ec2: EC2Client;

beforeAll(async () => {
  emulator = await startEmulator({ amiIds: configuredAmiIds() });
  ws = { outdir: path.join(root, "cdktf.out"), stateDir: path.join(root, "state"), endpoint: emulator.endpoint };
  synthForEmulator(ws);
  applyStack(ws, "packagecloud-pre-storage");
  vm = applyStack(ws, "packagecloud-pre-vm");
  ec2 = new EC2Client({ endpoint: emulator.endpoint, region: env.aws.region, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
}, 900_000);

afterAll(async () => {
  ec2?.destroy();
  await emulator?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("packagecloud-pre-vm in the emulator", () => {
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

  it("shows no changes on a second plan", () => {
    const plan = terraform(["plan", "-detailed-exitcode", "-input=false"], stackDir(ws, "packagecloud-pre-vm"), stackEnv(ws, "packagecloud-pre-vm"));
    expect({ code: plan.code, stderr: plan.stderr }).toEqual({ code: 0, stderr: "" });
  }, 300_000);

  it("refuses to destroy the data volume", () => {
    const destroy = terraform(["plan", "-destroy", "-input=false", "-target=aws_ebs_volume.vm_data_volume"], stackDir(ws, "packagecloud-pre-vm"), stackEnv(ws, "packagecloud-pre-vm"));
    expect(destroy.code).not.toBe(0);
    expect(destroy.stderr.replace(/\s+/g, " ")).toMatch(/aws_ebs_volume\.vm_data_volume has lifecycle\.prevent_destroy set/);
  }, 300_000);
});
