import { App } from "cdktf";
import { ENV_NAMES, loadEnvironments } from "../../config";
import { EXPORTER_PORTS } from "../../constructs/packagecloud-vm";
import { buildApp } from "../../stacks/app";
import { storagePolicyArns } from "../../stacks/storage-stack";
import { EMULATOR_OMITS } from "../../stacks/target";
import { VmStack } from "../../stacks/vm-stack";
import { sharedStack, synth, synthLayer, testApp } from "../support/synth";
import { decodeJoinExpression } from "../support/user-data";

const envs = loadEnvironments();

describe.each(ENV_NAMES)("packagecloud-%s-vm", (name) => {
  const env = envs[name];
  const out = sharedStack(name, "vm");
  const instance = out.resource("aws_instance", "vm_instance");

  it("runs the configured instance type and pinned AMI in the configured zone's subnet", () => {
    expect(instance).toMatchObject({ instance_type: env.vm.instanceType, ami: env.vm.amiId, disable_api_termination: env.vm.terminationProtection, availability_zone: env.vm.availabilityZone });
    expect(out.resource("aws_subnet", "network_public_subnet").availability_zone).toBe(env.vm.availabilityZone);
    expect(out.resource("aws_ebs_volume", "vm_data_volume")).toMatchObject({ availability_zone: env.vm.availabilityZone, size: env.vm.dataVolumeGiB });
    expect(instance.root_block_device.volume_size).toBe(env.vm.rootVolumeGiB);
  });

  it("opens SSH only to configured admin CIDRs (none by default) and the exporters to the configured Prometheus CIDRs", () => {
    const rules = Object.values(out.resources("aws_vpc_security_group_ingress_rule")) as any[];
    expect(rules.filter((r) => r.from_port === 22).map((r) => r.cidr_ipv4)).toEqual(env.network.adminCidrs);
    expect(rules.filter((r) => r.from_port === EXPORTER_PORTS["node-exporter"]).map((r) => r.cidr_ipv4)).toEqual(env.network.prometheusCidrs);
  });

  it("gives the instance role the storage stack's backup-uploader and application policies, by name", () => {
    const attached = Object.values(out.resources("aws_iam_role_policy_attachment")).map((a: any) => a.policy_arn);
    for (const arn of Object.values(storagePolicyArns(env, env.aws.accountId))) expect(attached).toContain(arn);
  });

  // Whether the attached policies together still let the jobs upload and read back is decided by an IAM
  // evaluation engine over every policy that applies: test/stacks/permissions.test.ts.

  it("checks at plan time that the zone name is the configured zone id here, and that the instance type is offered there", () => {
    const zone = out.json.data.aws_availability_zone.vm_zone;
    expect(zone.name).toBe(env.vm.availabilityZone);
    expect(zone.lifecycle.postcondition).toEqual([expect.objectContaining({ condition: `\${self.zone_id == "${env.vm.availabilityZoneId}"}` })]);
    const offered = out.json.data.aws_ec2_instance_type_offerings.vm_type_offered;
    expect(offered.location_type).toBe("availability-zone-id");
    expect(offered.filter).toEqual([
      { name: "location", values: [env.vm.availabilityZoneId] },
      { name: "instance-type", values: [env.vm.instanceType] },
    ]);
    expect(offered.lifecycle.postcondition[0].condition).toBe(`\${contains(self.instance_types, "${env.vm.instanceType}")}`);
  });

  it("associates the Elastic IP only once the internet gateway exists (AssociateAddress: Gateway.NotAttached)", () => {
    expect(out.resource("aws_eip", "vm_public_address").depends_on).toEqual(["aws_internet_gateway.network_internet_gateway"]);
  });

  it("names policies that the storage stack really creates", () => {
    const created = Object.values(sharedStack(name, "storage").resources("aws_iam_policy")).map((p: any) => p.name);
    for (const arn of Object.values(storagePolicyArns(env, env.aws.accountId))) expect(created).toContain(arn.split("/").pop());
  });

  it("snapshots the data volume daily, keeping the configured days, with a copy in the replica region", () => {
    const [rule] = out.resource("aws_backup_plan", "snapshots_plan").rule;
    expect(rule.schedule).toBe(`cron(0 ${env.vm.snapshots.startHourUtc} * * ? *)`);
    expect(rule.lifecycle).toEqual({ delete_after: env.vm.snapshots.retainDays });
    expect(out.resource("aws_backup_selection", "snapshots_selection").resources).toEqual(["${aws_ebs_volume.vm_data_volume.arn}"]);
    expect(out.json.provider.aws[1]).toMatchObject({ alias: "replica", region: env.aws.replicaRegion });
    expect(out.resource("aws_backup_vault_lock_configuration", "snapshots_vault_lock")).toMatchObject({
      min_retention_days: env.vm.snapshots.vaultLock.minRetentionDays,
      max_retention_days: env.vm.snapshots.vaultLock.maxRetentionDays,
    });
  });

  // Stateful resources: renaming an address would replace the data volume (blocked by prevent_destroy, and
  // surfacing only at plan time). A rename needs a `moved` block and a change to this list in the same review.
  it("keeps the Terraform addresses of its stateful resources", () => {
    expect(Object.keys(out.resources("aws_ebs_volume"))).toEqual(["vm_data_volume"]);
    expect(Object.keys(out.resources("aws_backup_vault")).sort()).toEqual(["snapshots_copy_vault", "snapshots_vault"]);
    expect(Object.keys(out.resources("aws_kms_key")).sort()).toEqual(["disk_key", "snapshot_copy_key"]);
    // Vault locks: immutable in AWS after changeable_for_days, so protected and pinned like data.
    const locks = out.resources("aws_backup_vault_lock_configuration");
    expect(Object.keys(locks).sort()).toEqual(["snapshots_copy_vault_lock", "snapshots_vault_lock"]);
    for (const lock of Object.values(locks)) expect(lock.lifecycle).toEqual({ prevent_destroy: true });
    // The interface and its Elastic IP keep the public address across an instance rebuild.
    expect(Object.keys(out.resources("aws_network_interface"))).toEqual(["vm_network_interface"]);
    expect(Object.keys(out.resources("aws_eip"))).toEqual(["vm_public_address"]);
  });

  it("associates the Elastic IP with the network interface before the instance boots on it", () => {
    expect(out.resource("aws_eip", "vm_public_address")).toMatchObject({ domain: "vpc", network_interface: "${aws_network_interface.vm_network_interface.id}" });
    expect(out.resource("aws_eip", "vm_public_address").instance).toBeUndefined();
    expect(instance.network_interface).toEqual([{ network_interface_id: "${aws_network_interface.vm_network_interface.id}", device_index: 0 }]);
    expect(instance.depends_on).toContain("aws_eip.vm_public_address");
    expect(instance.subnet_id).toBeUndefined();
    expect(out.resource("aws_network_interface", "vm_network_interface").security_groups).toEqual(["${aws_security_group.vm_security_group.id}"]);
  });

  it("makes Session Manager the admin path: the instance role carries AmazonSSMManagedInstanceCore", () => {
    const attached = Object.values(out.resources("aws_iam_role_policy_attachment")).map((a: any) => a.policy_arn);
    expect(attached).toContain("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
  });

  it("names its security group by prefix, so create_before_destroy never collides (InvalidGroup.Duplicate)", () => {
    const group = out.resource("aws_security_group", "vm_security_group");
    expect(group).toMatchObject({ name_prefix: `packagecloud-${name}-vm-`, lifecycle: { create_before_destroy: true } });
    expect(group.name).toBeUndefined();
  });

  it("installs the packagecloud version the configuration pins, and holds it", () => {
    const bundle = JSON.parse(decodeJoinExpression(out.resource("aws_s3_object", "vm_config_bundle").content)!.text);
    const install = bundle.files.find((f: any) => f.path === "/usr/local/sbin/packagecloud-install").content;
    expect(install).toContain(`\nVERSION='${env.vm.packagecloudApt.version}'\n`);
    expect(install).toContain("apt-mark hold packagecloud");
  });

  it("outputs the instance, its public address and the data volume", () => {
    expect(Object.keys(out.json.output)).toEqual(expect.arrayContaining(["instance_id", "public_ip", "data_volume_id", "security_group_id", "instance_role_arn"]));
  });
});

describe("VM stack options from configuration", () => {
  it("uses an existing network instead of making one", () => {
    const input = loadEnvironments().ops;
    const env = { ...input, vm: { ...input.vm, network: { mode: "existing" as const, vpcId: "vpc-0123456789abcdef0", subnetId: "subnet-0123456789abcdef0" } } };
    const out = synth(new VmStack(testApp(), { env, target: { kind: "aws", remoteState: false } }));
    expect(out.resources("aws_vpc")).toEqual({});
    expect(out.resource("aws_network_interface", "vm_network_interface").subnet_id).toBe("subnet-0123456789abcdef0");
  });
});

describe("emulator target", () => {
  it("leaves out what moto cannot serve (AWS Backup, S3 request metrics), and only that", () => {
    expect(Object.keys(EMULATOR_OMITS)).toEqual(["aws-backup", "s3-request-metrics"]);
    const out = synthLayer("pre", "vm", { kind: "emulator", endpoint: "http://127.0.0.1:5999", stateDir: "/tmp/state" }).out;
    for (const type of ["aws_backup_vault", "aws_backup_plan", "aws_backup_selection", "aws_backup_vault_lock_configuration"]) {
      expect(out.resources(type)).toEqual({});
    }
    expect(Object.keys(out.resources("aws_instance"))).toEqual(["vm_instance"]);
    const storage = synthLayer("pre", "storage", { kind: "emulator", endpoint: "http://127.0.0.1:5999", stateDir: "/tmp/state" }).out;
    expect(storage.resources("aws_s3_bucket_metric")).toEqual({});
    // pre runs the gke variant: the offsite backup and replication alarms only (no writer of daily backups).
    expect(Object.keys(storage.resources("aws_cloudwatch_metric_alarm"))).toHaveLength(4);
    expect(Object.keys(sharedStack("pre", "storage").resources("aws_s3_bucket_metric"))).toHaveLength(1);
  });
});

describe("the app", () => {
  it("deploys each environment's VM stack after its storage stack", () => {
    const app: App = testApp();
    buildApp(app, { environments: envs, target: { kind: "aws", remoteState: false } });
    for (const name of ENV_NAMES) {
      const vm = app.node.findChild(`packagecloud-${name}-vm`) as any;
      expect(vm.dependencies.map((d: any) => d.node.id)).toEqual([`packagecloud-${name}-storage`]);
    }
  });
});
