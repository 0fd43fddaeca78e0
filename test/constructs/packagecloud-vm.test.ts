import { Fn, TerraformOutput } from "cdktf";
import * as fs from "node:fs";
import { defaultNetworkWait, hclLiteral, NETWORK_WAIT_SCRIPT_PATH } from "../../constructs/first-boot";
import {
  bootstrapCloudConfig,
  bundleJson,
  SYNC_AGENT_PATH,
  SYNC_AGENT_SOURCE,
  SYNC_SERVICE_PATH,
  SYNC_TIMER_PATH,
  syncAgent,
  VM_CONFIG_KEY,
  vmConfigBundle,
} from "../../constructs/vm-config";
import { EncryptionKey } from "../../constructs/encryption-key";
import { DATA_MOUNT_POINT, EXPORTER_PORTS, PackagecloudVm } from "../../constructs/packagecloud-vm";
import { constructStack, synth, Synthesized } from "../support/synth";
import { decodeJoinExpression, gunzipUserData } from "../support/user-data";

const APT = {
  url: "https://packagecloud.io/computology/packagecloud-enterprise/ubuntu/",
  distribution: "jammy",
  component: "main",
  signingKeyUrl: "https://packagecloud.io/computology/packagecloud-enterprise/gpgkey",
  version: "2.0.5",
};
// The modules themselves, not import-time copies: the product reads them at call time, so spies reach it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const zlibModule: typeof import("node:zlib") = require("node:zlib");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fsModule: typeof import("node:fs") = require("node:fs");
const LOCATION = { bucket: "packagecloud-ops-vm-config-111122223333", key: VM_CONFIG_KEY, region: "us-west-1" };

function build(overrides: Partial<ConstructorParameters<typeof PackagecloudVm>[2]> = {}) {
  const { stack } = constructStack();
  const encryptionKey = new EncryptionKey(stack, "Key", { alias: "vm", description: "vm" });
  new PackagecloudVm(stack, "Vm", {
    environment: "ops",
    vpcId: "vpc-0123456789abcdef0",
    subnetId: "subnet-0123456789abcdef0",
    availabilityZone: "us-west-1b",
    instanceType: "c4.2xlarge",
    amiId: "ami-0123456789abcdef0",
    rootVolumeGiB: 8,
    dataVolumeGiB: 2048,
    terminationProtection: true,
    encryptionKey,
    adminCidrs: ["10.240.0.0/24"],
    prometheusCidrs: ["10.241.0.0/24", "2001:db8::/64"],
    managedPolicyArns: { "daily-backups-uploader": "arn:aws:iam::111122223333:policy/daily" },
    apt: APT,
    region: "us-west-1",
    accountId: "111122223333",
    ...overrides,
  });
  return synth(stack);
}

describe("PackagecloudVm, minimal call", () => {
  const out = build();
  const instance = out.resource("aws_instance", "vm_instance");
  const volume = out.resource("aws_ebs_volume", "vm_data_volume");
  const ingress = Object.values(out.resources("aws_vpc_security_group_ingress_rule"));

  it("runs the configured type and pinned AMI, EBS-optimized, with detailed monitoring and termination protection", () => {
    expect(instance).toMatchObject({
      instance_type: "c4.2xlarge",
      ami: "ami-0123456789abcdef0",
      ebs_optimized: true,
      monitoring: true,
      disable_api_termination: true,
      iam_instance_profile: "${aws_iam_instance_profile.vm_instance_profile.name}",
    });
  });

  it("requires IMDSv2 with a hop limit of 1", () => {
    expect(instance.metadata_options).toEqual({
      http_endpoint: "enabled",
      http_tokens: "required",
      http_put_response_hop_limit: 1,
      instance_metadata_tags: "disabled",
    });
  });

  it("has an 8 GB gp2 root volume encrypted with the customer key", () => {
    expect(instance.root_block_device).toEqual({
      volume_size: 8,
      volume_type: "gp2",
      encrypted: true,
      kms_key_id: "${aws_kms_key.key.arn}",
      delete_on_termination: true,
    });
    expect(instance.ebs_block_device).toBeUndefined();
  });

  it("keeps data on a separate 2 TB gp2 volume in the instance's zone, encrypted, protected from destroy", () => {
    expect(volume).toMatchObject({
      availability_zone: "us-west-1b",
      size: 2048,
      type: "gp2",
      encrypted: true,
      kms_key_id: "${aws_kms_key.key.arn}",
      final_snapshot: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(volume.snapshot_id).toBeUndefined();
    expect(out.resource("aws_volume_attachment", "vm_data_volume_attachment")).toMatchObject({
      device_name: "/dev/sdf",
      volume_id: "${aws_ebs_volume.vm_data_volume.id}",
      instance_id: "${aws_instance.vm_instance.id}",
      stop_instance_before_detaching: true,
    });
  });

  it("boots with a small, stable bootstrap: a literal that names the config bucket, no Terraform reference", () => {
    expect(instance.user_data).toBeUndefined();
    expect(instance.user_data_base64).not.toContain("${");
    expect(gunzipUserData(instance.user_data_base64)).toBe(bootstrapCloudConfig(LOCATION));
  });

  it("keeps the agent, its units and the network wait out of user data: they travel in the bundle", () => {
    const userData = gunzipUserData(instance.user_data_base64);
    expect(userData).not.toContain("def main"); // the agent's Python
    expect(userData).not.toContain("OnUnitInactiveSec"); // its timer
    expect(userData).not.toContain("packagecloud-wait-for-network");
    const bundle = JSON.parse(decodeJoinExpression(out.resource("aws_s3_object", "vm_config_bundle").content)!.text);
    const file = (p: string) => bundle.files.find((f: any) => f.path === p);
    expect(bundle.agent).toBe(SYNC_AGENT_PATH);
    expect(file(SYNC_AGENT_PATH)).toEqual({ path: SYNC_AGENT_PATH, owner: "root:root", permissions: "0755", content: fs.readFileSync(SYNC_AGENT_SOURCE, "utf8") });
    expect(file(SYNC_SERVICE_PATH).content).toContain(`ExecStart=${SYNC_AGENT_PATH} --bucket ${LOCATION.bucket} --key ${VM_CONFIG_KEY} --region us-west-1\n`);
    expect(file(SYNC_TIMER_PATH).content).toContain("OnUnitInactiveSec=5min");
    expect(file(NETWORK_WAIT_SCRIPT_PATH).content).toMatch(/^#!\/bin\/bash/);
    // The units reload first, whatever fails later; the data disk runs at every agent run.
    expect(bundle.commands[0]).toEqual({ id: "config-sync-units", run: ["sh", "-c", "systemctl daemon-reload && systemctl enable packagecloud-config-sync.timer && systemctl restart packagecloud-config-sync.timer"], after: [SYNC_SERVICE_PATH, SYNC_TIMER_PATH] });
    expect(bundle.commands[1]).toMatchObject({ id: "data-disk", always: true });
  });

  it("writes the same user-data bytes on every synth host: gzip header MTIME 0 and OS 3 (Unix), as RFC 1952 §2.3 lays it out", () => {
    const bytes = Buffer.from(instance.user_data_base64, "base64");
    // ID1 ID2 CM=8 (deflate) FLG=0 | MTIME=0 (4 bytes) | XFL=2 (maximum compression) | OS=3 (Unix)
    expect(bytes.subarray(0, 10).toString("hex")).toBe("1f8b0800000000000203");
  });

  it("writes the same user data when the host's zlib stamps another OS and a time (macOS builds of zlib write OS 19)", () => {
    const real = zlibModule.gzipSync;
    const macos = jest.spyOn(zlibModule, "gzipSync").mockImplementation((...args: Parameters<typeof zlibModule.gzipSync>) => {
      const stamped = Buffer.from(real(...args));
      stamped.writeUInt32LE(1_767_225_600, 4); // a modification time
      stamped[9] = 19; // OS: Darwin, as zlib >= 1.2.12 writes on Apple platforms
      return stamped;
    });
    try {
      expect(build().resource("aws_instance", "vm_instance").user_data_base64).toBe(instance.user_data_base64);
      expect(macos).toHaveBeenCalled();
    } finally {
      macos.mockRestore();
    }
  });

  it("puts the data disk, the install and the extensions in the bundle object, around the one live reference (the volume id)", () => {
    const object = out.resource("aws_s3_object", "vm_config_bundle");
    expect(object).toMatchObject({ bucket: "${aws_s3_bucket.vm_config_bucket.bucket}", key: VM_CONFIG_KEY });
    const decoded = decodeJoinExpression(object.content);
    expect(decoded?.references).toEqual(["aws_ebs_volume.vm_data_volume.id"]);
    const expected = bundleJson(
      vmConfigBundle({ location: LOCATION, dataDisk: { volumeId: "${aws_ebs_volume.vm_data_volume.id}", mountPoint: DATA_MOUNT_POINT }, apt: APT, networkWait: defaultNetworkWait(APT), extensions: [] }),
    );
    expect(decoded!.text).toBe(expected);
  });

  it("a changed script changes only the bundle: user data, and so the instance, stay as they were", () => {
    // The aws provider stops and starts an instance to change its user data (v5.100.0 ec2_instance.go,
    // resourceInstanceUpdate → modifyInstanceAttributeWithStopStart): a script change must not touch it.
    const ext = (script: string) => [{ packages: ["age"], writeFiles: [{ path: "/usr/local/sbin/job", owner: "root:root", permissions: "0755", content: script }], runcmd: [["true"]] }];
    const a = build({ firstBootExtensions: ext("#!/bin/sh\necho one\n") });
    const b = build({ firstBootExtensions: ext("#!/bin/sh\necho two\n") });
    const instanceOf = (o: typeof a) => o.resource("aws_instance", "vm_instance");
    expect(instanceOf(b)).toEqual(instanceOf(a));
    expect(b.resource("aws_s3_object", "vm_config_bundle").content).not.toBe(a.resource("aws_s3_object", "vm_config_bundle").content);
  });

  it("a fix to the configuration agent changes only the bundle: user data, and so the instance, stay as they were", () => {
    // aws 5.100.0 applies a user-data change with StopInstances → ModifyInstanceAttribute → StartInstances, and
    // cloud-init would not run it again: the agent must reach the VM through the bundle.
    const readFileSync = fsModule.readFileSync;
    const fixed = jest.spyOn(fsModule, "readFileSync").mockImplementation(((file: fs.PathOrFileDescriptor, options?: any) =>
      file === SYNC_AGENT_SOURCE ? `${readFileSync(file, "utf8")}# a fix\n` : readFileSync(file, options)) as typeof fs.readFileSync);
    let after: Synthesized;
    try {
      after = build();
      expect(syncAgent()).toMatch(/# a fix\n$/);
    } finally {
      fixed.mockRestore();
    }
    expect(after.resource("aws_instance", "vm_instance")).toEqual(instance);
    const agentIn = (o: Synthesized) => JSON.parse(decodeJoinExpression(o.resource("aws_s3_object", "vm_config_bundle").content)!.text).files[0].content;
    expect(agentIn(after)).toMatch(/# a fix\n$/);
    expect(agentIn(out)).not.toMatch(/# a fix\n$/);
  });

  it("ignores AMI and user-data changes (a rebuild is deliberate; the bootstrap is for new instances) and associates the Elastic IP only after the internet gateway", () => {
    expect(instance.lifecycle).toEqual({ ignore_changes: ["ami", "user_data", "user_data_base64"] });
    expect(out.resource("aws_eip", "vm_public_address").depends_on).toBeUndefined();
  });

  it("boots only once its bundle is written: the bootstrap reads it at first boot", () => {
    expect(instance.depends_on).toEqual(["aws_eip.vm_public_address", "aws_s3_object.vm_config_bundle"]);
  });

  it("keeps the instance running when the data volume's attachment is replaced (a restore stops the instance to detach)", () => {
    expect(out.resource("aws_ec2_instance_state", "vm_instance_running")).toEqual({
      instance_id: "${aws_instance.vm_instance.id}",
      state: "running",
      depends_on: ["aws_volume_attachment.vm_data_volume_attachment"],
      lifecycle: { replace_triggered_by: ["aws_volume_attachment.vm_data_volume_attachment"] },
    });
  });

  it("installs exactly the configured packagecloud version and holds it", () => {
    const bundle = JSON.parse(decodeJoinExpression(out.resource("aws_s3_object", "vm_config_bundle").content)!.text);
    const install = bundle.files.find((f: any) => f.path === "/usr/local/sbin/packagecloud-install").content;
    expect(install).toContain("\nVERSION='2.0.5'\n");
    expect(install).toContain('install -y --allow-change-held-packages "packagecloud=$VERSION"');
    expect(install).toContain("apt-mark hold packagecloud");
    expect(install).not.toMatch(/install -y packagecloud\b(?!=)/);
  });

  it("keeps the security group's description when the first admin network is added (EC2 cannot change it: ForceNew)", () => {
    const group = (adminCidrs: string[]) => build({ adminCidrs }).resource("aws_security_group", "vm_security_group");
    const none = group([]);
    // The text the deployed groups of pre and ops carry (neither has admin networks): fixing it replaces nothing.
    expect(none.description).toBe("packagecloud VM: web from anywhere, exporters from Prometheus");
    expect(group(["198.51.100.0/24"])).toEqual(none);
    expect(group(["198.51.100.0/24", "2001:db8:1::/48"])).toEqual(none);
  });

  it("escapes every HCL template and string sequence in literals (backslash, quote, newline, tab, ${, %{)", () => {
    const stack = constructStack().stack;
    const out = new TerraformOutput(stack, "probe", { value: Fn.join("", [hclLiteral('a\\b "q"\n\t${x} %{y}')]) });
    expect(synth(stack).json.output.probe.value).toBe('${join("", ["a\\\\b \\"q\\"\\n\\t$${x} %%{y}"])}');
    expect(out).toBeDefined();
  });


  it("opens 80 and 443 to the world on IPv4 and IPv6", () => {
    for (const port of [80, 443]) {
      const open = ingress.filter((r: any) => r.from_port === port && r.to_port === port);
      expect(open.map((r: any) => r.cidr_ipv4 ?? r.cidr_ipv6).sort()).toEqual(["0.0.0.0/0", "::/0"]);
    }
  });

  it("opens SSH to the admin networks only", () => {
    const ssh = ingress.filter((r: any) => r.from_port === 22);
    expect(ssh).toEqual([expect.objectContaining({ cidr_ipv4: "10.240.0.0/24", to_port: 22, ip_protocol: "tcp" })]);
  });

  it("opens every exporter to the Prometheus networks only (IPv4 and IPv6)", () => {
    for (const port of Object.values(EXPORTER_PORTS)) {
      const rules = ingress.filter((r: any) => r.from_port === port);
      expect(rules.map((r: any) => r.cidr_ipv4 ?? r.cidr_ipv6).sort()).toEqual(["10.241.0.0/24", "2001:db8::/64"]);
    }
    expect(ingress).toHaveLength(4 + 1 + Object.keys(EXPORTER_PORTS).length * 2);
  });

  it("describes every rule, and lets out only HTTP and HTTPS", () => {
    for (const rule of ingress) expect(rule.description).toMatch(/\S{3,}/);
    const egress = Object.values(out.resources("aws_vpc_security_group_egress_rule"));
    expect(egress.map((r: any) => r.from_port).sort()).toEqual([443, 443, 80, 80]);
    for (const rule of egress) expect(rule.description).toMatch(/\S{3,}/);
    expect(out.resource("aws_security_group", "vm_security_group").ingress).toBeUndefined();
  });

  it("gives the instance a role assumable by EC2 only, carrying Session Manager's core policy, exactly the policies passed and its config read", () => {
    const role = out.resource("aws_iam_role", "vm_role");
    expect(Synthesized.policy(role.assume_role_policy).Statement).toEqual([
      { Sid: "Ec2", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    expect(Object.values(out.resources("aws_iam_role_policy_attachment")).map((a: any) => a.policy_arn).sort()).toEqual([
      "arn:aws:iam::111122223333:policy/daily",
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ]);
    // One inline policy: reading its own configuration bundle (and, when given, its secrets), and a Deny that fences
    // AmazonSSMManagedInstanceCore's ssm:GetParameter on "*" to this VM's own parameters.
    expect(Object.keys(out.resources("aws_iam_role_policy"))).toEqual(["vm_config_read"]);
    const statements = Synthesized.policy(out.resource("aws_iam_role_policy", "vm_config_read").policy).Statement;
    expect(statements.map((s: any) => `${s.Effect} ${s.Sid}`)).toEqual(["Allow ReadBundle", "Allow DecryptBundle", "Deny NoOtherParameters"]);
    expect(statements[2].NotResource).toBe("arn:aws:ssm:us-west-1:111122223333:parameter/packagecloud/ops/vm/*");
  });

  it("publishes the instance through an Elastic IP on its interface in the given subnet, associated before boot", () => {
    expect(out.resource("aws_network_interface", "vm_network_interface")).toMatchObject({ subnet_id: "subnet-0123456789abcdef0" });
    expect(out.resource("aws_eip", "vm_public_address")).toMatchObject({ domain: "vpc", network_interface: "${aws_network_interface.vm_network_interface.id}" });
    expect(instance.depends_on).toContain("aws_eip.vm_public_address");
  });

  it("opens no port 22 when no admin CIDRs are given", () => {
    const ingress = Object.values(build({ adminCidrs: undefined }).resources("aws_vpc_security_group_ingress_rule"));
    expect(ingress.filter((r: any) => r.from_port === 22)).toEqual([]);
  });
});

describe("PackagecloudVm options", () => {
  it("restores the data volume from a snapshot when one is given (the DR path)", () => {
    expect(build({ dataVolumeSnapshotId: "snap-0123456789abcdef0" }).resource("aws_ebs_volume", "vm_data_volume").snapshot_id).toBe(
      "snap-0123456789abcdef0",
    );
  });

  it("leaves termination protection off when asked", () => {
    expect(build({ terminationProtection: false }).resource("aws_instance", "vm_instance").disable_api_termination).toBe(false);
  });
});

describe("PackagecloudVm validation", () => {
  it("fails if SSH would be open to the whole internet", () => {
    expect(() => build({ adminCidrs: ["0.0.0.0/0"] })).toThrow(/PackagecloudVm test\/Vm: adminCidrs entry "0\.0\.0\.0\/0" opens SSH to the whole internet/);
    expect(() => build({ adminCidrs: ["::/0"] })).toThrow(/opens SSH to the whole internet/);
  });

  it("fails if the exporters would be open to the whole internet", () => {
    expect(() => build({ prometheusCidrs: ["0.0.0.0/0"] })).toThrow(/prometheusCidrs entry "0\.0\.0\.0\/0" opens the exporters/);
  });

  it("fails if a CIDR is malformed or the list is empty", () => {
    expect(() => build({ adminCidrs: ["10.0.0.1/24"] })).toThrow(/adminCidrs entry "10\.0\.0\.1\/24" must be a network address/);
    expect(() => build({ prometheusCidrs: [] })).toThrow(/prometheusCidrs must list at least one CIDR block/);
  });
});
