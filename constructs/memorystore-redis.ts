/**
 * Memorystore for Redis, packagecloud's Redis (seed 001): reachable only through private service access, AUTH
 * on (off by default upstream), TLS in transit, RDB persistence, a weekly maintenance window, a customer key,
 * and `prevent_destroy`. STANDARD_HA (a replica in another zone, automatic failover) where the environment asks.
 *
 * @example
 *   const redis = new MemorystoreRedis(this, "Redis", { environment: "ops", region, networkId, redis, encryptionKeyId, dependsOn });
 */
import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { RedisInstance } from "@cdktf/provider-google/lib/redis-instance";
import type { EnvName, EnvironmentConfig } from "../config";
import { resourceName } from "../config/naming";

export interface MemorystoreRedisProps {
  readonly environment: EnvName;
  readonly region: string;
  readonly networkId: string;
  readonly redis: EnvironmentConfig["gcp"]["redis"];
  readonly encryptionKeyId: string;
  readonly labels: Record<string, string>;
  /** The private service access connection and the key grant's propagation wait. */
  readonly dependsOn: ITerraformDependable[];
}

export class MemorystoreRedis extends Construct {
  readonly instance: RedisInstance;

  constructor(scope: Construct, id: string, props: MemorystoreRedisProps) {
    super(scope, id);
    this.instance = new RedisInstance(this, "Default", {
      name: resourceName(props.environment, "redis"),
      region: props.region,
      tier: props.redis.tier,
      memorySizeGb: props.redis.memoryGb,
      redisVersion: props.redis.version,
      connectMode: "PRIVATE_SERVICE_ACCESS",
      authorizedNetwork: props.networkId,
      authEnabled: true,
      transitEncryptionMode: "SERVER_AUTHENTICATION",
      customerManagedKey: props.encryptionKeyId,
      persistenceConfig: { persistenceMode: "RDB", rdbSnapshotPeriod: "ONE_HOUR" },
      maintenancePolicy: { weeklyMaintenanceWindow: [{ day: "SUNDAY", startTime: { hours: 4, minutes: 0 } }] },
      labels: props.labels,
      lifecycle: { preventDestroy: true },
      dependsOn: props.dependsOn,
    });
  }
}
