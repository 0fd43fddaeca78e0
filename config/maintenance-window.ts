/**
 * GKE maintenance windows: a recurrence (an RFC 5545 RRULE subset), a start time (UTC) and a duration.
 *
 * GKE's rule (cloud.google.com/kubernetes-engine/docs/how-to/maintenance-window, "Considerations when configuring
 * a maintenance window"): "You must allow at least 48 hours of maintenance availability in a 32-day rolling
 * window. Only contiguous availability windows of at least four hours are considered." The API answers 400 at
 * cluster creation otherwise, so the configuration is checked here, worst case first.
 *
 * The provider takes the window as two RFC 3339 timestamps and the RRULE (google v6.50.0,
 * google/services/container/resource_container_cluster.go:1092-1106, `verify.ValidateRFC3339Date`); the end is
 * built as start + duration, so a window across midnight ends on the next day and never before it starts.
 */

export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** GKE's minimum: 48 h in every 32 days, from windows of at least 4 h. */
export const GKE_MIN_HOURS_PER_32_DAYS = 48;
export const GKE_MIN_WINDOW_HOURS = 4;

/** The date the recurrence is anchored to (a Monday, so weekdays read naturally). Any past date works for GKE. */
export const MAINTENANCE_ANCHOR_DATE = "2025-01-06";

export interface Recurrence {
  readonly freq: "DAILY" | "WEEKLY";
  /** The weekdays windows start on; all seven for a daily rule without BYDAY. */
  readonly days: readonly Weekday[];
}

/**
 * Parses the supported subset of RFC 5545 §3.3.10: `FREQ=DAILY` or `FREQ=WEEKLY`, with an optional (for DAILY)
 * or required (for WEEKLY) `BYDAY` list of plain weekdays. Returns an error message for anything else.
 */
export function parseRecurrence(rule: string): Recurrence | string {
  const supported = "supported: FREQ=DAILY, or FREQ=WEEKLY;BYDAY=<MO,TU,WE,TH,FR,SA,SU list>";
  if (rule.trim() !== rule || rule === "") return `must be an RRULE without surrounding spaces (${supported})`;
  const parts = new Map<string, string>();
  for (const part of rule.split(";")) {
    const m = /^([A-Z]+)=([A-Z0-9,+-]+)$/.exec(part);
    if (!m) return `"${part}" is not an RFC 5545 rule part NAME=VALUE in upper case (${supported})`;
    if (parts.has(m[1])) return `${m[1]} appears twice; RFC 5545 allows each rule part once`;
    parts.set(m[1], m[2]);
  }
  const unknown = [...parts.keys()].filter((k) => k !== "FREQ" && k !== "BYDAY");
  if (unknown.length > 0) return `rule part ${unknown.join(", ")} is not supported by this check (${supported})`;
  const freq = parts.get("FREQ");
  if (freq === undefined) return `FREQ is required (RFC 5545 §3.3.10) (${supported})`;
  if (freq !== "DAILY" && freq !== "WEEKLY") return `FREQ=${freq} is not supported by this check (${supported})`;
  const byday = parts.get("BYDAY");
  if (byday === undefined) {
    if (freq === "WEEKLY") return `FREQ=WEEKLY needs BYDAY, or the weekday would silently follow the anchor date (${supported})`;
    return { freq, days: WEEKDAYS };
  }
  const days = byday.split(",");
  for (const d of days) {
    if (!(WEEKDAYS as readonly string[]).includes(d)) return `BYDAY value "${d}" is not a weekday (MO, TU, WE, TH, FR, SA, SU; ordinals such as 1MO are not supported)`;
  }
  if (new Set(days).size !== days.length) return `BYDAY lists a weekday twice`;
  return { freq, days: days as Weekday[] };
}

/** "HH:MM" to minutes after midnight, or undefined. */
export function parseClock(hhmm: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

const DAY = 24 * 60;
const WEEK = 7 * DAY;
const SPAN = 32 * DAY;

/**
 * The fewest hours of maintenance availability any 32-day period can hold, counting only contiguous stretches of
 * at least four hours after clipping to the period (the conservative reading of GKE's rule).
 */
export function worst32DayHours(recurrence: Recurrence, startMinute: number, durationHours: number): number {
  const length = durationHours * 60;
  // Windows over enough weeks to cover any 32-day period starting in the first week, merged where they touch.
  const raw: Array<[number, number]> = [];
  for (let week = 0; week < 7; week++) {
    for (const day of recurrence.days) {
      const start = week * WEEK + WEEKDAYS.indexOf(day) * DAY + startMinute;
      raw.push([start, start + length]);
    }
  }
  raw.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [s, e] of raw) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  // Availability as a function of the period's start changes only where a period edge meets a window edge (or a
  // window's 4-hour mark): trying those minutes and their neighbours, within one week (the pattern repeats), finds
  // the worst case exactly. Everything is on whole minutes.
  const minWindow = GKE_MIN_WINDOW_HOURS * 60;
  const candidates = new Set<number>();
  for (const [s, e] of merged) {
    for (const edge of [s, e, s + minWindow, e - minWindow]) {
      for (const t of [edge, edge - SPAN]) {
        for (const near of [t - 1, t, t + 1]) candidates.add((((near % WEEK) + WEEK) % WEEK) + WEEK);
      }
    }
  }
  let worst = Infinity;
  for (const t of candidates) {
    let total = 0;
    for (const [s, e] of merged) {
      const clipped = Math.min(e, t + SPAN) - Math.max(s, t);
      if (clipped >= minWindow) total += clipped;
    }
    worst = Math.min(worst, total);
  }
  return worst / 60;
}

/** The RFC 3339 start and end the provider takes: end = start + duration, on the next day past midnight. */
export function recurringWindowTimes(startUtc: string, durationHours: number): { startTime: string; endTime: string } {
  const start = new Date(`${MAINTENANCE_ANCHOR_DATE}T${startUtc}:00Z`);
  if (Number.isNaN(start.getTime()) || !(durationHours > 0)) {
    throw new Error(`maintenance window: start "${startUtc}" and duration ${durationHours} h do not make a window`);
  }
  const end = new Date(start.getTime() + durationHours * 3600 * 1000);
  const iso = (d: Date) => d.toISOString().replace(/\.000Z$/, "Z");
  return { startTime: iso(start), endTime: iso(end) };
}

/** [start, end) in minutes from Monday 00:00 UTC; an interval past the week's end wraps to its start. */
export type WeekInterval = readonly [number, number];

/** The GKE windows of a recurrence as week intervals. */
export function gkeWindows(recurrence: Recurrence, startMinute: number, durationHours: number): WeekInterval[] {
  return recurrence.days.map((day) => [WEEKDAYS.indexOf(day) * DAY + startMinute, WEEKDAYS.indexOf(day) * DAY + startMinute + durationHours * 60] as const);
}

/**
 * Cloud SQL's maintenance window: one hour starting at `hour` (UTC) on `day` (1 = Monday … 7 = Sunday), as the
 * API's maintenanceWindow {day, hour} defines it (Cloud SQL for MySQL, "About maintenance on Cloud SQL
 * instances": "The maintenance window is one hour long").
 */
export function cloudSqlWindow(day: number, hour: number): WeekInterval {
  return [(day - 1) * DAY + hour * 60, (day - 1) * DAY + hour * 60 + 60];
}

/** A daily job running [startMinute, startMinute + minutes) every day, as week intervals. */
export function dailyRuns(startMinute: number, minutes: number): WeekInterval[] {
  return Array.from({ length: 7 }, (_, d) => [d * DAY + startMinute, d * DAY + startMinute + minutes] as const);
}

/** Whether two sets of week intervals meet (compared over two weeks, so a Sunday-night interval meets Monday). */
export function overlaps(a: readonly WeekInterval[], b: readonly WeekInterval[]): boolean {
  const shifted = (xs: readonly WeekInterval[]) => xs.flatMap(([s, e]) => [[s, e], [s + WEEK, e + WEEK], [s - WEEK, e - WEEK]] as const);
  return shifted(a).some(([s1, e1]) => b.some(([s2, e2]) => s1 < e2 && s2 < e1));
}
