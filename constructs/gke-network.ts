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
import { ComputeGlobalAddress } from "@cdktf/provider-google/lib/compute-global-address";
import { ComputeNetwork } from "@cdktf/provider-google/lib/compute-network";
import { ComputeRouter } from "@cdktf/provider-google/lib/compute-router";
import { ComputeRouterNat } from "@cdktf/provider-google/lib/compute-router-nat";
import { ComputeSubnetwork } from "@cdktf/provider-google/lib/compute-subnetwork";
import { ServiceNetworkingConnection } from "@cdktf/provider-google/lib/service-networking-connection";
import type { EnvName, EnvironmentConfig } from "../config";
import { parseCidr } from "../config/validators";
import { resourceName } from "../config/naming";

export const PODS_RANGE = "pods";
export const SERVICES_RANGE = "services";

export interface GkeNetworkProps {
  readonly environment: EnvName;
  readonly region: string;
  readonly ranges: EnvironmentConfig["gcp"]["network"];
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
    this.privateServiceAccess = new ServiceNetworkingConnection(this, "PrivateServiceAccess", {
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
