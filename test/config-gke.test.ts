/**
 * Issue 11: GKE configuration the API would refuse is refused at load — maintenance windows (RFC 5545 subset, GKE's
 * 48 h in every 32 days from windows of at least 4 h), the control-plane access path, the cluster mode.
 */
import { loadEnvironments, parseEnvironment } from "../config";
import { ENVIRONMENTS } from "../config/environments";
import { cloudSqlInstanceName } from "../config/naming";
import { cloudSqlProxyArgs } from "../backup/jobs";
import { GkeStack } from "../stacks/gke-stack";
import { synth, testApp, UNIT_TARGET } from "./support/synth";
import { parseRecurrence, recurringWindowTimes, worst32DayHours, type Recurrence } from "../config/maintenance-window";
import { rejection, variant } from "./support/config";

function accepted(name: "pre" | "ops", change: (env: any) => void): void {
  const copy = structuredClone(ENVIRONMENTS[name]) as any;
  change(copy);
  expect(() => parseEnvironment(name, copy)).not.toThrow();
}

const rule = (r: string) => parseRecurrence(r) as Recurrence;

describe("GKE maintenance availability (48 h in every 32 days, from windows of at least 4 h)", () => {
  it("measures the windows the issue found: ops's old weekend 4 h gives 32 h, pre's old Tue-Thu 4 h exactly 48 h", () => {
    expect(worst32DayHours(rule("FREQ=WEEKLY;BYDAY=SA,SU"), 3 * 60, 4)).toBe(32);
    expect(worst32DayHours(rule("FREQ=WEEKLY;BYDAY=TU,WE,TH"), 14 * 60, 4)).toBe(48);
  });

  it("gives both environments' windows a margin", () => {
    expect(worst32DayHours(rule("FREQ=WEEKLY;BYDAY=SA,SU"), 2 * 60, 8)).toBe(64);
    expect(worst32DayHours(rule("FREQ=WEEKLY;BYDAY=TU,WE,TH"), 14 * 60, 6)).toBe(72);
  });

  it("counts a daily window across midnight as one contiguous stretch, and merges touching windows", () => {
    expect(worst32DayHours(rule("FREQ=DAILY"), 22 * 60, 6)).toBeGreaterThanOrEqual(31 * 6);
    expect(worst32DayHours(rule("FREQ=DAILY"), 0, 24)).toBe(32 * 24);
  });

  it("fails if the serving pool may scale to 0 nodes, naming the env, field and fix (issue 22 item 8)", () => {
    expect(rejection("ops", (e) => (e.gcp.cluster.nodePools.serving.minNodes = 0))).toMatch(/ops[\s\S]*gcp\.cluster\.nodePools\.serving\.minNodes[\s\S]*must be at least 1[\s\S]*set serving\.minNodes to 1 or more/);
    expect(() => rejection("ops", (e) => (e.gcp.cluster.nodePools.background.minNodes = 0))).toThrow("the configuration was accepted");
  });

  it("fails if ops keeps its old 4-hour weekend window (32 h)", () => {
    expect(rejection("ops", (e) => Object.assign(e.gcp.cluster, { maintenanceStartUtc: "03:00", maintenanceHours: 4 }))).toMatch(
      /gcp\.cluster\.maintenanceRecurrence = "FREQ=WEEKLY;BYDAY=SA,SU": allows only 32 h of maintenance in the worst 32-day period; GKE requires at least 48 h/,
    );
  });

  it("fails if one weekly window of 8 h is all there is (32 h), accepts two days of 6 h (48 h)", () => {
    expect(rejection("pre", (e) => Object.assign(e.gcp.cluster, { maintenanceRecurrence: "FREQ=WEEKLY;BYDAY=TU", maintenanceHours: 8 }))).toMatch(/allows only 32 h/);
    accepted("pre", (e) => Object.assign(e.gcp.cluster, { maintenanceRecurrence: "FREQ=WEEKLY;BYDAY=TU,TH", maintenanceHours: 6 }));
  });

  it("fails if a window is shorter than GKE counts, or longer than a day", () => {
    expect(rejection("ops", (e) => (e.gcp.cluster.maintenanceHours = 3))).toMatch(/maintenanceHours = 3: maintenanceHours must be at least 4: GKE counts only windows of at least 4 hours/);
    expect(rejection("ops", (e) => (e.gcp.cluster.maintenanceHours = 25))).toMatch(/maintenanceHours must be at most 24/);
    expect(rejection("ops", (e) => (e.gcp.cluster.maintenanceHours = 4.5))).toMatch(/maintenanceHours must be a whole number of hours/);
  });

  it("fails if the window still says where it ends instead of how long it lasts", () => {
    expect(rejection("ops", (e) => (e.gcp.cluster.maintenanceEndUtc = "07:00"))).toMatch(/Unrecognized key\(s\) in object: 'maintenanceEndUtc'/);
  });

  it("builds RFC 3339 timestamps that end after they start, on the next day across midnight", () => {
    expect(recurringWindowTimes("22:00", 6)).toEqual({ startTime: "2025-01-06T22:00:00Z", endTime: "2025-01-07T04:00:00Z" });
    expect(recurringWindowTimes("02:00", 8)).toEqual({ startTime: "2025-01-06T02:00:00Z", endTime: "2025-01-06T10:00:00Z" });
    expect(() => recurringWindowTimes("02:00", 0)).toThrow(/do not make a window/);
  });
});

describe("RRULE parsing (the RFC 5545 subset this project supports)", () => {
  it("accepts DAILY and WEEKLY with BYDAY", () => {
    expect(parseRecurrence("FREQ=DAILY")).toEqual({ freq: "DAILY", days: ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] });
    expect(parseRecurrence("FREQ=WEEKLY;BYDAY=SA,SU")).toEqual({ freq: "WEEKLY", days: ["SA", "SU"] });
    expect(parseRecurrence("BYDAY=MO;FREQ=WEEKLY")).toEqual({ freq: "WEEKLY", days: ["MO"] });
  });

  it.each([
    ["FREQ=WEEKLY;BYDAY=SA,XX", /BYDAY value "XX" is not a weekday/],
    ["FREQ=WEEKLY;BYDAY=1SA", /ordinals such as 1MO are not supported/],
    ["FREQ=WEEKLY", /FREQ=WEEKLY needs BYDAY/],
    ["FREQ=MONTHLY;BYMONTHDAY=1", /rule part BYMONTHDAY is not supported by this check/],
    ["FREQ=YEARLY", /FREQ=YEARLY is not supported by this check/],
    ["FREQ=DAILY;INTERVAL=2", /rule part INTERVAL is not supported/],
    ["freq=daily", /is not an RFC 5545 rule part NAME=VALUE in upper case/],
    ["FREQ=WEEKLY;BYDAY=SA;BYDAY=SU", /BYDAY appears twice/],
    ["FREQ=WEEKLY;BYDAY=SA,SA", /BYDAY lists a weekday twice/],
    ["BYDAY=SA", /FREQ is required/],
    ["RRULE:FREQ=DAILY", /is not an RFC 5545 rule part/],
    [" FREQ=DAILY", /without surrounding spaces/],
    ["", /without surrounding spaces/],
  ])("fails if the rule is %j", (bad, message) => {
    expect(rejection("ops", (e) => (e.gcp.cluster.maintenanceRecurrence = bad))).toMatch(new RegExp(`gcp\\.cluster\\.maintenanceRecurrence = .*${message.source}`));
  });
});

describe("control-plane access", () => {
  it("fails if CI would have to come from authorized networks that are all private (no route into the new network)", () => {
    expect(rejection("ops", (e) => (e.gcp.cluster.controlPlaneAccess = "authorized-networks"))).toMatch(
      /gcp\.cluster\.controlPlaneAccess = "authorized-networks": leaves no way to reach the control plane: masterAuthorizedNetworks holds only private ranges/,
    );
  });

  it("accepts authorized networks holding the runners' public egress range, opted in by name", () => {
    accepted("ops", (e) => {
      e.gcp.cluster.controlPlaneAccess = "authorized-networks";
      e.gcp.cluster.masterAuthorizedNetworks.push({ name: "ci-runners", cidr: "34.74.90.64/28", allowPublicRange: true });
    });
  });

  it("fails if a public egress range is authorized without allowPublicRange", () => {
    expect(
      rejection("ops", (e) => {
        e.gcp.cluster.controlPlaneAccess = "authorized-networks";
        e.gcp.cluster.masterAuthorizedNetworks.push({ name: "ci-runners", cidr: "34.74.90.64/28" });
      }),
    ).toMatch(/masterAuthorizedNetworks\.1\.cidr = "34\.74\.90\.64\/28": is a public range[\s\S]*allowPublicRange: true/);
  });

  it("fails on an access path that does not exist", () => {
    expect(rejection("ops", (e) => (e.gcp.cluster.controlPlaneAccess = "vpn"))).toMatch(/must be dns-endpoint or authorized-networks/);
  });
});

describe("cluster mode", () => {
  it("accepts an existing shared cluster with only its name, location and packagecloud's pools", () => {
    accepted("ops", (e) => {
      e.gcp.cluster = { mode: "existing", name: "ops-gitlab-gke", location: "us-east1", nodePools: e.gcp.cluster.nodePools };
      // Its Pushgateway, a prerequisite there (issue 29; test/monitoring/pushgateway.test.ts).
      e.backupJob.kubernetes.pushgatewayUrl = "http://prometheus-pushgateway.monitoring.svc:9091";
    });
  });

  it("fails if an existing cluster is given settings it does not own, or a dedicated one a name", () => {
    expect(
      rejection("ops", (e) => (e.gcp.cluster = { mode: "existing", name: "ops-gitlab-gke", location: "us-east1", releaseChannel: "STABLE", nodePools: e.gcp.cluster.nodePools })),
    ).toMatch(/Unrecognized key\(s\) in object: 'releaseChannel'/);
    expect(rejection("ops", (e) => (e.gcp.cluster.name = "ops-gitlab-gke"))).toMatch(/Unrecognized key\(s\) in object: 'name'/);
  });

  it("fails on an unknown mode", () => {
    expect(rejection("ops", (e) => (e.gcp.cluster.mode = "shared"))).toMatch(/gcp\.cluster\.mode = "shared": mode must be dedicated or existing/);
  });

  it("fails if the project number is typed into config: it is read from the project", () => {
    expect(rejection("ops", (e) => (e.gcp.projectNumber = "320000000002"))).toMatch(/Unrecognized key\(s\) in object: 'projectNumber'/);
  });
});

describe("Cloud SQL instance generation (a rebuild in the same project: the deleted instance's name stays reserved)", () => {
  const envs = loadEnvironments();

  it.each(["pre", "ops"] as const)("%s: absent is generation 1, the name every deployed instance has", (name) => {
    expect(envs[name].gcp.sql.instanceGeneration).toBe(1);
    expect(cloudSqlInstanceName(envs[name])).toBe(`packagecloud-${name}-mysql`);
  });

  it("generation 2 names packagecloud-<env>-mysql-2 everywhere the instance is named: the gke stack, the backup job's proxy, the grants Job's proxy", () => {
    const rebuilt = parseEnvironment("ops", variant("ops", (e) => (e.gcp.sql.instanceGeneration = 2)));
    const gke = synth(new GkeStack(testApp(), { env: rebuilt, target: UNIT_TARGET }));
    expect(gke.resource("google_sql_database_instance", "database").name).toBe("packagecloud-ops-mysql-2");
    expect(cloudSqlProxyArgs(rebuilt).at(-1)).toBe("gitlab-ops:us-east1:packagecloud-ops-mysql-2");
    const alerts = Object.values(gke.resources("google_monitoring_alert_policy")).map((p: any) => p.display_name);
    expect(alerts.filter((t) => t.startsWith("packagecloud-ops-mysql-2: "))).toHaveLength(2);
  });

  it.each([
    [0, /gcp\.sql\.instanceGeneration[\s\S]*must be at least 1/],
    [1.5, /gcp\.sql\.instanceGeneration[\s\S]*must be a whole number/],
    [100, /gcp\.sql\.instanceGeneration[\s\S]*must be at most 99/],
  ])("fails if instanceGeneration is %p, naming the field", (value, message) => {
    expect(rejection("ops", (e) => (e.gcp.sql.instanceGeneration = value))).toMatch(message);
  });
});
