/**
 * config/backup-job-checks.ts: the worst-case run time the loader checks is the one the jobs are built with, and
 * the Bech32 check agrees with the BIP 173 test vectors.
 */
import { loadEnvironments } from "../config";
import { bech32ChecksumHolds, worstCaseMinutes } from "../config/backup-job-checks";
import { worstCaseSeconds } from "../backup/jobs";

describe("backup job checks", () => {
  const envs = Object.values(loadEnvironments());

  it("computes the worst case as backup/jobs.ts does (which sets the jobs' deadlines)", () => {
    for (const env of envs) {
      for (const command of ["backup", "verify-restore"] as const) {
        expect(worstCaseMinutes(env, command) * 60).toBe(worstCaseSeconds(env, command));
        const longer = structuredClone(env);
        longer.backupJob.timeouts.restoreMinutes += 7;
        longer.backupJob.timeouts.dumpMinutes += 11;
        expect(worstCaseMinutes(longer, command) * 60).toBe(worstCaseSeconds(longer, command));
      }
    }
  });

  it("checks Bech32 checksums (BIP 173 test vectors, and the project's recipients)", () => {
    // https://github.com/bitcoin/bips/blob/master/bip-0173.mediawiki#test-vectors (valid, lowercase).
    for (const valid of ["a12uel5l", "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w"]) {
      expect(bech32ChecksumHolds(valid)).toBe(true);
    }
    for (const invalid of ["a12uel5m", "split1checkupstagehandshakeupstreamerranterredcaperred2y9e2w", "pzry9x0s0muk", "1pzry9x0s0muk"]) {
      expect(bech32ChecksumHolds(invalid)).toBe(false);
    }
    for (const env of envs) expect(bech32ChecksumHolds(env.backupJob.ageRecipient)).toBe(true);
  });
});
