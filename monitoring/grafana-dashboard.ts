/**
 * The Grafana dashboard for backups, generated from the same `MonitoringDefinitions` as the alerts: one row per
 * backup with three graphs (backups kept, size of the last backup, age of the last backup), each drawn from the
 * recording rules in `prometheus-rules.ts` and marked with the alert threshold, so the graph shows how close a
 * backup is to paging. The Prometheus data source is a template variable (`datasource`), so one JSON model works
 * in every Grafana.
 *
 * Generated, so `editable` is off: an edit made in the UI would be lost at the next import.
 *
 * @example
 *   fs.writeFileSync("packagecloud-backups.json", JSON.stringify(grafanaDashboard(defs), null, 2));
 *   // Grafana: Dashboards > New > Import, or a provisioning directory
 */
import {
  BACKUP_AGE_RECORD,
  BACKUP_COUNT_RECORD,
  BACKUP_LABEL,
  BACKUP_LAST_SIZE_RECORD,
  type BackupMonitor,
  type MonitoringDefinitions,
  validateDefinitions,
} from "./definitions";

/** The dashboard JSON model version this is written for (Grafana 10.x). */
export const SCHEMA_VERSION = 39;

export interface DatasourceRef {
  readonly type: "prometheus";
  readonly uid: string;
}

export interface ThresholdStep {
  readonly color: string;
  /** null: the base step, below every other. */
  readonly value: number | null;
}

export interface RowPanel {
  readonly id: number;
  readonly type: "row";
  readonly title: string;
  readonly collapsed: false;
  readonly gridPos: GridPos;
  readonly panels: readonly [];
}

export interface TimeseriesPanel {
  readonly id: number;
  readonly type: "timeseries";
  readonly title: string;
  readonly description: string;
  readonly datasource: DatasourceRef;
  readonly gridPos: GridPos;
  readonly targets: readonly { readonly refId: string; readonly datasource: DatasourceRef; readonly expr: string; readonly legendFormat: string }[];
  readonly fieldConfig: {
    readonly defaults: {
      readonly unit: string;
      readonly decimals?: number;
      readonly min: number;
      readonly thresholds: { readonly mode: "absolute"; readonly steps: readonly ThresholdStep[] };
      readonly custom: { readonly thresholdsStyle: { readonly mode: "off" | "line" } };
    };
    readonly overrides: readonly [];
  };
  readonly options: { readonly legend: { readonly displayMode: "list"; readonly placement: "bottom"; readonly showLegend: boolean } };
}

export interface GridPos {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface GrafanaDashboard {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly schemaVersion: number;
  readonly version: number;
  readonly editable: boolean;
  readonly timezone: "utc";
  readonly time: { readonly from: string; readonly to: string };
  readonly refresh: string;
  readonly templating: { readonly list: readonly DatasourceVariable[] };
  readonly annotations: { readonly list: readonly [] };
  readonly panels: readonly (RowPanel | TimeseriesPanel)[];
}

export interface DatasourceVariable {
  readonly name: "datasource";
  readonly label: string;
  readonly type: "datasource";
  readonly query: "prometheus";
  readonly current: Record<string, never>;
  readonly hide: 0;
  readonly includeAll: false;
  readonly multi: false;
  readonly options: readonly [];
  readonly refresh: 1;
  readonly regex: string;
}

/** Every panel queries the data source the `datasource` variable picks. */
const DATASOURCE: DatasourceRef = { type: "prometheus", uid: "${datasource}" };
const PANEL_HEIGHT = 8;
const PANEL_WIDTH = 8; // three panels side by side in Grafana's 24-column grid

/** The dashboard JSON model, ready for `JSON.stringify`. */
export function grafanaDashboard(defs: MonitoringDefinitions): GrafanaDashboard {
  validateDefinitions(defs);
  let nextId = 1;
  const panels: (RowPanel | TimeseriesPanel)[] = [];
  defs.backups.forEach((backup, i) => {
    const y = i * (1 + PANEL_HEIGHT);
    panels.push({
      id: nextId++,
      type: "row",
      title: `${backup.name}: ${backup.description}`,
      collapsed: false,
      gridPos: { x: 0, y, w: 24, h: 1 },
      panels: [],
    });
    backupPanels(defs.environment, backup).forEach((panel, column) => {
      panels.push({ ...panel, id: nextId++, gridPos: { x: column * PANEL_WIDTH, y: y + 1, w: PANEL_WIDTH, h: PANEL_HEIGHT } });
    });
  });

  return {
    uid: `packagecloud-backups-${defs.environment}`,
    title: `packagecloud backups (${defs.environment})`,
    description: "Generated from monitoring/definitions.ts by monitoring/grafana-dashboard.ts: change the code, not this dashboard.",
    tags: ["packagecloud", "backups", defs.environment],
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    editable: false,
    timezone: "utc",
    // A week shows several runs of a daily backup, so a missed run or a shrinking size stands out.
    time: { from: "now-7d", to: "now" },
    refresh: "5m",
    templating: {
      list: [
        {
          name: "datasource",
          label: "Prometheus",
          type: "datasource",
          query: "prometheus",
          current: {},
          hide: 0,
          includeAll: false,
          multi: false,
          options: [],
          refresh: 1,
          regex: "",
        },
      ],
    },
    annotations: { list: [] },
    panels,
  };
}

type PanelWithoutPlace = Omit<TimeseriesPanel, "id" | "gridPos">;

function backupPanels(environment: string, backup: BackupMonitor): PanelWithoutPlace[] {
  const query = (record: string) => `${record}{${BACKUP_LABEL}="${backup.name}", environment="${environment}"}`;
  const panel = (
    title: string,
    description: string,
    record: string,
    unit: string,
    steps: readonly ThresholdStep[],
    decimals?: number,
  ): PanelWithoutPlace => ({
    type: "timeseries",
    title,
    description,
    datasource: DATASOURCE,
    targets: [{ refId: "A", datasource: DATASOURCE, expr: query(record), legendFormat: `{{${BACKUP_LABEL}}}` }],
    fieldConfig: {
      defaults: {
        unit,
        ...(decimals === undefined ? {} : { decimals }),
        min: 0,
        thresholds: { mode: "absolute", steps },
        // Draw the alert threshold as a line; the count has none, so it draws nothing.
        custom: { thresholdsStyle: { mode: steps.length > 1 ? "line" : "off" } },
      },
      overrides: [],
    },
    options: { legend: { displayMode: "list", placement: "bottom", showLegend: false } },
  });

  const maxAgeSeconds = Math.round(backup.maxAgeHours * 3600);
  return [
    panel("Backups kept", `Number of ${backup.name} backups currently kept (${BACKUP_COUNT_RECORD}).`, BACKUP_COUNT_RECORD, "none", [{ color: "green", value: null }], 0),
    panel(
      "Size of last backup",
      `Size of the newest ${backup.name} backup (${BACKUP_LAST_SIZE_RECORD}); the line is the too-small alert threshold.`,
      BACKUP_LAST_SIZE_RECORD,
      "decbytes",
      [
        { color: "red", value: null },
        { color: "green", value: backup.minSizeBytes },
      ],
    ),
    panel(
      "Age of last backup",
      `Time since the newest successful ${backup.name} backup (${BACKUP_AGE_RECORD}); the line is the stale alert ` +
        `threshold (${backup.maxAgeHours}h). No data here is itself an alert: the metric is absent.`,
      BACKUP_AGE_RECORD,
      "s",
      [
        { color: "green", value: null },
        { color: "red", value: maxAgeSeconds },
      ],
    ),
  ];
}
