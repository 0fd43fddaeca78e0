/** After the last test file: the provider pool stops, and says how much start-up it saved. */
import type { ProviderPool } from "../../scripts/lib/provider-pool";

export default async function globalTeardown(): Promise<void> {
  const pool = (globalThis as { __providerPool?: ProviderPool }).__providerPool;
  if (!pool) return;
  const stats = pool.stats();
  console.log(`\nAWS provider pool: ${stats.leases} provider instances served by ${stats.started} processes (at most ${stats.peak} at once, ${stats.crashed} exited early)`);
  await pool.stop();
}
