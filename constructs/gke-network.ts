/**
 * The GKE variant's network: a VPC network and subnet with secondary ranges for pods and services, Cloud Router
 * and NAT so private nodes reach the internet (the packagecloud apt repository, S3), and private service access
 * (a reserved range peered to Google) so Cloud SQL and Memorystore have private addresses only.
 *
 * @example
 *   const network = new GkeNetwork(this, "Network", { environment: "ops", region: "us-east1", ranges });
 *   network.networkId; network.subnetworkId; network.privateServiceAccess  // depend on it before SQL/Redis
 */
import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { ComputeGlobalAddress } from "@cdktf/provider-google/lib/compute-global-address";
import { ComputeNetwork } from "@cdktf/provider-google/lib/compute-network";
import { ComputeRouter } from "@cdktf/provider-google/lib/compute-router";
import { ComputeRouterNat } from "@cdktf/provider-google/lib/compute-router-nat";
import { ComputeSubnetwork } from "@cdktf/provider-google/lib/compute-subnetwork";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { ServiceNetworkingConnection } from "@cdktf/provider-google/lib/service-networking-connection";
import { GoogleProjectServiceIdentity } from "@cdktf/provider-google-beta/lib/google-project-service-identity";
import { Sleep } from "@cdktf/provider-time/lib/sleep";
import type { EnvName, EnvironmentConfig } from "../config";
import { parseCidr } from "../config/validators";
import { resourceName } from "../config/naming";
import { IAM_PROPAGATION_SECONDS } from "./google-kms";

export const PODS_RANGE = "pods";
export const SERVICES_RANGE = "services";

export interface GkeNetworkProps {
  readonly environment: EnvName;
  readonly region: string;
  readonly ranges: EnvironmentConfig["gcp"]["network"];
  readonly project: string;
  /** The project number (a Terraform reference), for the Service Networking agent's address. */
  readonly projectNumber: string;
  /** google-beta, for google_project_service_identity (GA google 6.50.0 has none). */
  readonly betaProvider: TerraformProvider;
}

export class GkeNetwork extends Construct {
  readonly network: ComputeNetwork;
  readonly subnetwork: ComputeSubnetwork;
  readonly privateServiceAccess: ServiceNetworkingConnection;
  readonly networkId: string;
  readonly subnetworkId: string;

  constructor(scope: Construct, id: string, props: GkeNetworkProps) {
    super(scope, id);
    const name = resourceName(props.environment, "gke");
    this.network = new ComputeNetwork(this, "Default", {
      name,
      autoCreateSubnetworks: false,
      routingMode: "REGIONAL",
      deleteDefaultRoutesOnCreate: false,
    });
    this.subnetwork = new ComputeSubnetwork(this, "Subnetwork", {
      name,
      region: props.region,
      network: this.network.id,
      ipCidrRange: props.ranges.subnetCidr,
      // Nodes reach Google APIs without public addresses.
      privateIpGoogleAccess: true,
      secondaryIpRange: [
        { rangeName: PODS_RANGE, ipCidrRange: props.ranges.podsCidr },
        { rangeName: SERVICES_RANGE, ipCidrRange: props.ranges.servicesCidr },
      ],
      logConfig: { aggregationInterval: "INTERVAL_5_MIN", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
    });
    const router = new ComputeRouter(this, "Router", { name, region: props.region, network: this.network.id });
    new ComputeRouterNat(this, "Nat", {
      name,
      region: props.region,
      router: router.name,
      natIpAllocateOption: "AUTO_ONLY",
      sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
      logConfig: { enable: true, filter: "ERRORS_ONLY" },
    });

    const psa = parseCidr(props.ranges.privateServiceCidr)!;
    const range = new ComputeGlobalAddress(this, "PrivateServiceRange", {
      name: `${name}-private-services`,
      purpose: "VPC_PEERING",
      addressType: "INTERNAL",
      address: props.ranges.privateServiceCidr.split("/")[0],
      prefixLength: psa.prefix,
      network: this.network.id,
    });
    // Issue 22 item 5: right after servicenetworking.googleapis.com is enabled in a new project, creating the
    // connection intermittently fails with "Error code 7, message: Required 'compute.globalAddresses.list'
    // permission" (hashicorp/terraform-provider-google#14720; GoogleCloudPlatform/cloud-foundation-fabric#1399):
    // the Service Networking agent does not exist yet or has not received roles/servicenetworking.serviceAgent.
    // So: request the agent (generateServiceIdentity, idempotent), grant it the role explicitly (an agent created
    // on request gets no role: Google's "Create and grant roles to service agents"), wait for IAM propagation, and
    // only then create the connection. The wait's triggers name the grant, so a replaced grant waits again
    // (time_sleep runs only on create). The grant adopts Google's own binding: its destroy would remove it, so the
    // stack forgets the grant when it leaves the configuration (stacks/gke-stack.ts, SERVICE_NETWORKING_GRANT_ADDRESSES).
    const agent = new GoogleProjectServiceIdentity(this, "ServiceNetworkingAgentIdentity", { provider: props.betaProvider, service: "servicenetworking.googleapis.com" });
    const agentGrant = new ProjectIamMember(this, "ServiceNetworkingAgent", {
      project: props.project,
      role: "roles/servicenetworking.serviceAgent",
      // The documented address, not the identity's email (generateServiceIdentity may not return it; see google-kms.ts).
      member: `serviceAccount:service-${props.projectNumber}@service-networking.iam.gserviceaccount.com`,
      dependsOn: [agent],
    });
    const agentReady = new Sleep(this, "ServiceNetworkingAgentPropagation", {
      createDuration: `${IAM_PROPAGATION_SECONDS}s`,
      triggers: { grant: agentGrant.id },
      dependsOn: [agentGrant],
    });
    this.privateServiceAccess = new ServiceNetworkingConnection(this, "PrivateServiceAccess", {
      dependsOn: [agentReady],
      network: this.network.id,
      service: "servicenetworking.googleapis.com",
      reservedPeeringRanges: [range.name],
      // Removing the peering while Cloud SQL still uses it fails and strands the instance: leave it on destroy.
      deletionPolicy: "ABANDON",
    });
    this.networkId = this.network.id;
    this.subnetworkId = this.subnetwork.id;
  }
}
