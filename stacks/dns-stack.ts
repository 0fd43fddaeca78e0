/**
 * `packagecloud-<env>-dns`: the service's public name, pointed at the variant the environment runs today (the
 * GKE ingress's global address, or the VM's Elastic IP), in Cloudflare (ops) or an existing Cloud DNS zone (pre).
 *
 * The address is looked up by its deterministic name, so switching `variant` in config changes this stack and
 * nothing else.
 */
import type { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { DataAwsEip } from "@cdktf/provider-aws/lib/data-aws-eip";
import { DnsRecord } from "@cdktf/provider-cloudflare/lib/dns-record";
import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider";
import { DataGoogleComputeGlobalAddress } from "@cdktf/provider-google/lib/data-google-compute-global-address";
import { DnsRecordSet } from "@cdktf/provider-google/lib/dns-record-set";
import type { EnvironmentConfig } from "../config";
import { enableGoogleApis } from "../constructs/google-apis";
import { resourceName, stackName } from "../config/naming";
import { adoptDnsRecord } from "./adoption";
import { awsProvider } from "./aws-provider";
import { configureBackend } from "./backend";
import { PackagecloudStack } from "./base-stack";
import { ingressAddressName } from "./gke-stack";
import { googleProvider } from "./google-provider";
import type { DeployTarget } from "./target";

export interface DnsStackProps {
  readonly env: EnvironmentConfig;
  readonly target: DeployTarget;
}

export class DnsStack extends PackagecloudStack {
  /** The address the record points at (a Terraform reference). */
  readonly address: string;

  constructor(scope: Construct, props: DnsStackProps) {
    const { env, target } = props;
    const name = stackName(env.name, "dns");
    super(scope, name, { environment: env });
    configureBackend(this, env, name, target, "gcs");

    if (env.variant === "gke") {
      googleProvider(this, env, "dns");
      this.address = new DataGoogleComputeGlobalAddress(this, "GkeIngressAddress", { name: ingressAddressName(env) }).address;
    } else {
      awsProvider(this, "aws", { env, target, layer: "dns", region: env.aws.region });
      this.address = new DataAwsEip(this, "VmAddress", { filter: [{ name: "tag:Name", values: [resourceName(env.name, "vm")] }] }).publicIp;
    }

    const dns = env.dns;
    if (dns.provider === "cloudflare") {
      // The API token comes from CLOUDFLARE_API_TOKEN in the environment, never from code.
      new CloudflareProvider(this, "cloudflare", {});
      const record = new DnsRecord(this, "Record", {
        zoneId: dns.zoneId,
        name: dns.recordName,
        type: "A",
        content: this.address,
        proxied: dns.proxied,
        ttl: dns.ttl,
        comment: `packagecloud ${env.name} (${env.variant} variant), managed by ${name}`,
      });
      adoptDnsRecord(env, record);
    } else {
      if (env.variant !== "gke") googleProvider(this, env, "dns");
      const recordSet = new DnsRecordSet(this, "Record", {
        managedZone: dns.managedZone,
        name: `${dns.recordName}.`,
        type: "A",
        ttl: dns.ttl,
        rrdatas: [this.address],
      });
      adoptDnsRecord(env, recordSet);
    }
    new TerraformOutput(this, "record_name", { value: dns.recordName });
    new TerraformOutput(this, "address", { value: this.address });
    // The Google lookups and records wait for their APIs too (none when this stack has no Google resource).
    enableGoogleApis(this);
  }
}
