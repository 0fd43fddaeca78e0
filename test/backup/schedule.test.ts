/**
 * The backup's schedule against the maintenance windows (issue 20): config refuses a dump that would run into
 * the GKE cluster's window (nodes drained) or Cloud SQL's one-hour window (instance restarted), on any day.
 */
import { parseEnvironment } from "../../config";
import { ENVIRONMENTS } from "../../config/environments";
import { cloudSqlWindow, dailyRuns, overlaps } from "../../config/maintenance-window";
import { rejection } from "../support/config";

function accepted(name: "pre" | "ops", change: (env: any) => void): void {
  const copy = structuredClone(ENVIRONMENTS[name]) as any;
  change(copy);
  expect(() => parseEnvironment(name, copy)).not.toThrow();
}

describe("backup schedule vs maintenance windows", () => {
  it("fails if ops keeps the old 04:30 backup: inside the GKE window (Sat/Sun 02:00-10:00) and Cloud SQL's (Sun 05:00)", () => {
    const message = rejection("ops", (e) => (e.backupJob.schedule.backupUtc = "04:30"));
    expect(message).toMatch(/backupJob\.schedule\.backupUtc = "04:30": overlaps the GKE maintenance window \(FREQ=WEEKLY;BYDAY=SA,SU 02:00 UTC \+ 8 h\)/);
    expect(message).toMatch(/backupJob\.schedule\.backupUtc = "04:30": overlaps the Cloud SQL maintenance window \(Sunday 05:00 UTC \+ 1 h\)/);
  });

  it("fails if the dump's 3 h would run into a window that starts after the backup does (pre 12:00 + 3 h meets 14:00)", () => {
    expect(rejection("pre", (e) => (e.backupJob.schedule.backupUtc = "12:00"))).toMatch(/backupJob\.schedule\.backupUtc = "12:00": overlaps the GKE maintenance window/);
    accepted("pre", (e) => (e.backupJob.schedule.backupUtc = "10:59"));
  });

  it("fails if a Saturday-night run reaches into Sunday's Cloud SQL window (across midnight and the week's end)", () => {
    expect(overlaps(dailyRuns(23 * 60, 7 * 60), [cloudSqlWindow(7, 5)])).toBe(true); // 23:00 + 7 h reaches 06:00
    expect(overlaps(dailyRuns(23 * 60, 6 * 60), [cloudSqlWindow(7, 5)])).toBe(false); // ends at 05:00, as the window starts
    expect(overlaps(dailyRuns(23 * 60, 2 * 60), [cloudSqlWindow(1, 0)])).toBe(true); // Sunday 23:00 meets Monday 00:00
  });

  it("fails if the restore verification starts inside the GKE window", () => {
    expect(rejection("ops", (e) => (e.backupJob.schedule.restoreVerificationUtc = "09:30"))).toMatch(/backupJob\.schedule\.restoreVerificationUtc = "09:30": starts inside the GKE maintenance window/);
  });

  it("accepts both environments' schedules as configured", () => {
    accepted("pre", () => undefined);
    accepted("ops", () => undefined);
  });
});
