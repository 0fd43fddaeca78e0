/**
 * Where the packagecloud VM runs: an existing VPC and subnet, or a minimal network of its own (VPC, one public
 * subnet, internet gateway, default route) so that a rebuild into an empty account needs nothing else.
 *
 * @example
 *   const network = new VmNetwork(this, "Network", { environment: "ops", availabilityZone: "us-west-1b",
 *     network: { mode: "managed", vpcCidr: "10.70.0.0/16", subnetCidr: "10.70.1.0/24" } });
 *   network.vpcId; network.subnetId
 */
import { Construct } from "constructs";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import type { EnvName, EnvironmentConfig } from "../config";
import { resourceName } from "../config/naming";

export interface VmNetworkProps {
  readonly environment: EnvName;
  readonly availabilityZone: string;
  readonly network: EnvironmentConfig["vm"]["network"];
}

export class VmNetwork extends Construct {
  readonly vpcId: string;
  readonly subnetId: string;
  /** Set when this construct made the VPC. */
  readonly vpc?: Vpc;
  /** Set when this construct made the VPC: the Elastic IP must wait for it (packagecloud-vm.ts). */
  readonly internetGateway?: InternetGateway;

  constructor(scope: Construct, id: string, props: VmNetworkProps) {
    super(scope, id);
    const net = props.network;
    if (net.mode === "existing") {
      this.vpcId = net.vpcId;
      this.subnetId = net.subnetId;
      return;
    }
    const name = resourceName(props.environment, "vm");
    this.vpc = new Vpc(this, "Vpc", {
      cidrBlock: net.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: name },
    });
    // The VPC's default security group allows all traffic between its members: empty it (CKV2_AWS_12).
    new DefaultSecurityGroup(this, "DefaultSecurityGroup", { vpcId: this.vpc.id, tags: { Name: `${name}-default-unused` } });
    const subnet = new Subnet(this, "PublicSubnet", {
      vpcId: this.vpc.id,
      cidrBlock: net.subnetCidr,
      availabilityZone: props.availabilityZone,
      // The instance is reached through its Elastic IP; nothing gets a public address by accident.
      mapPublicIpOnLaunch: false,
      tags: { Name: `${name}-public` },
    });
    const gateway = new InternetGateway(this, "InternetGateway", { vpcId: this.vpc.id, tags: { Name: name } });
    this.internetGateway = gateway;
    const routes = new RouteTable(this, "PublicRoutes", {
      vpcId: this.vpc.id,
      route: [{ cidrBlock: "0.0.0.0/0", gatewayId: gateway.id }],
      tags: { Name: `${name}-public` },
    });
    new RouteTableAssociation(this, "PublicRoutesAssociation", { subnetId: subnet.id, routeTableId: routes.id });
    this.vpcId = this.vpc.id;
    this.subnetId = subnet.id;
  }
}
