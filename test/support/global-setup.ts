/**
 * Once per jest run, before any test file: the AWS provider pool (scripts/lib/provider-pool) that every Terraform
 * command of the engine tests attaches to, through TF_REATTACH_PROVIDERS in the environment the workers inherit.
 * Only when engine tests run, and not with PACKAGECLOUD_PROVIDER_POOL=off or without the local provider mirror.
 * test/engine/validate.test.ts runs Terraform without it on purpose.
 */
import { attachesAws, startProviderPool } from "../../scripts/lib/provider-pool";

export default async function globalSetup(config: { selectProjects?: string[] | null }): Promise<void> {
  const engine = !config.selectProjects || config.selectProjects.includes("engine");
  if (!engine || attachesAws()) return;
  const pool = await startProviderPool();
  if (!pool) return;
  process.env.TF_REATTACH_PROVIDERS = pool.env.TF_REATTACH_PROVIDERS;
  (globalThis as { __providerPool?: typeof pool }).__providerPool = pool;
}
