/**
 * The generated Grafana dashboard: a Prometheus data-source variable, one row of three graphs per backup drawn
 * from the recording rules the rule file defines, alert thresholds drawn on the graphs, and a layout without
 * overlaps.
 */
import { BACKUP_AGE_RECORD, BACKUP_COUNT_RECORD, BACKUP_LAST_SIZE_RECORD, type MonitoringDefinitions } from "../../monitoring/definitions";
import { grafanaDashboard, type RowPanel, type TimeseriesPanel } from "../../monitoring/grafana-dashboard";
import { prometheusRules, type RecordingRule } from "../../monitoring/prometheus-rules";

const DEFS: MonitoringDefinitions = {
  environment: "pre",
  backups: [
    { name: "offsite-db", description: "database dump copied off site", maxAgeHours: 36, minSizeBytes: 300e9, runbookUrl: "https://runbooks.example.com/backups#offsite-db" },
    { name: "vm-data-snapshots", description: "EBS snapshots of the data disk", maxAgeHours: 26, minSizeBytes: 1e9, runbookUrl: "https://runbooks.example.com/backups#snapshots" },
  ],
  replication: [],
};

const dashboard = grafanaDashboard(DEFS);
const rows = dashboard.panels.filter((p): p is RowPanel => p.type === "row");
const graphs = dashboard.panels.filter((p): p is TimeseriesPanel => p.type === "timeseries");
/** The graphs that follow a backup's row, up to the next row. */
const graphsOf = (backup: string): TimeseriesPanel[] => {
  const start = dashboard.panels.findIndex((p) => p.type === "row" && p.title.startsWith(`${backup}: `));
  expect(start).toBeGreaterThanOrEqual(0);
  const rest = dashboard.panels.slice(start + 1);
  const end = rest.findIndex((p) => p.type === "row");
  return (end === -1 ? rest : rest.slice(0, end)) as TimeseriesPanel[];
};

describe("grafanaDashboard", () => {
  it("is a schemaVersion 39 dashboard named after the environment, not editable in the UI", () => {
    expect(dashboard).toMatchObject({
      uid: "packagecloud-backups-pre",
      title: "packagecloud backups (pre)",
      schemaVersion: 39,
      editable: false,
      tags: expect.arrayContaining(["backups", "pre"]),
    });
  });

  it("picks its Prometheus through a `datasource` template variable, and every panel and query uses it", () => {
    expect(dashboard.templating.list).toEqual([expect.objectContaining({ name: "datasource", type: "datasource", query: "prometheus" })]);
    for (const graph of graphs) {
      expect(graph.datasource).toEqual({ type: "prometheus", uid: "${datasource}" });
      for (const target of graph.targets) expect(target.datasource).toEqual({ type: "prometheus", uid: "${datasource}" });
    }
  });

  it("has one row per backup with backups kept, size of last backup and age of last backup", () => {
    expect(rows.map((r) => r.title)).toEqual(["offsite-db: database dump copied off site", "vm-data-snapshots: EBS snapshots of the data disk"]);
    for (const backup of DEFS.backups) {
      const panels = graphsOf(backup.name);
      expect(panels.map((p) => p.title)).toEqual(["Backups kept", "Size of last backup", "Age of last backup"]);
      expect(panels.map((p) => p.targets.map((t) => t.expr))).toEqual([
        [`${BACKUP_COUNT_RECORD}{backup="${backup.name}", environment="pre"}`],
        [`${BACKUP_LAST_SIZE_RECORD}{backup="${backup.name}", environment="pre"}`],
        [`${BACKUP_AGE_RECORD}{backup="${backup.name}", environment="pre"}`],
      ]);
    }
  });

  it("queries only recording rules the rule file defines", () => {
    const recorded = new Set(
      prometheusRules(DEFS)
        .groups.flatMap((g) => g.rules)
        .filter((r): r is RecordingRule => "record" in r)
        .map((r) => r.record),
    );
    for (const graph of graphs) for (const target of graph.targets) expect(recorded).toContain(target.expr.replace(/\{.*$/, ""));
  });

  it("draws the alert thresholds: minimum size and maximum age (seconds) from the definitions", () => {
    const [, size, age] = graphsOf("vm-data-snapshots");
    expect(size.fieldConfig.defaults).toMatchObject({
      unit: "decbytes",
      thresholds: { steps: [{ color: "red", value: null }, { color: "green", value: 1e9 }] },
      custom: { thresholdsStyle: { mode: "line" } },
    });
    expect(age.fieldConfig.defaults).toMatchObject({
      unit: "s",
      thresholds: { steps: [{ color: "green", value: null }, { color: "red", value: 26 * 3600 }] },
      custom: { thresholdsStyle: { mode: "line" } },
    });
    expect(graphsOf("offsite-db")[2].fieldConfig.defaults.thresholds.steps[1].value).toBe(36 * 3600);
  });

  it("gives every panel a unique id and places panels without overlap inside the 24-column grid", () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const taken = new Set<string>();
    for (const { gridPos } of dashboard.panels) {
      expect(gridPos.x + gridPos.w).toBeLessThanOrEqual(24);
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++) {
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
          expect(taken.has(`${x},${y}`)).toBe(false);
          taken.add(`${x},${y}`);
        }
      }
    }
  });

  it("survives JSON serialisation unchanged (the form Grafana imports)", () => {
    expect(JSON.parse(JSON.stringify(dashboard))).toEqual(dashboard);
  });

  it("fails if the definitions are invalid (same validation as the rules)", () => {
    expect(() => grafanaDashboard({ ...DEFS, backups: [DEFS.backups[0], DEFS.backups[0]] })).toThrow(
      /MonitoringDefinitions \("pre"\): backups\[1\]\.name "offsite-db" duplicates backups\[0\]\.name/,
    );
  });
});
