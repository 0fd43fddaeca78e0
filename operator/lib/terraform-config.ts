/**
 * Where Terraform gets providers in the tests and local runs (no Terraform needed to decide it): a filesystem
 * mirror where one holds hashicorp/aws, the registry everywhere else.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const AWS_PROVIDER_VERSION = "5.100.0";
const DEFAULT_MIRROR = "/opt/tf-plugins";

function mirrorHolds(mirror: string): boolean {
  return fs.existsSync(path.join(mirror, "registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION));
}

/**
 * The provider mirror: $PACKAGECLOUD_TF_MIRROR (which must hold hashicorp/aws), else /opt/tf-plugins where it
 * holds it, else undefined: providers come from the registry.
 */
export function providerMirror(vars: NodeJS.ProcessEnv = process.env, fallback: string = DEFAULT_MIRROR): string | undefined {
  const configured = vars.PACKAGECLOUD_TF_MIRROR;
  if (configured !== undefined && configured !== "") {
    if (!mirrorHolds(configured)) {
      const provider = path.join(configured, "registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION);
      throw new Error(
        `PACKAGECLOUD_TF_MIRROR=${configured} has no hashicorp/aws ${AWS_PROVIDER_VERSION} at ${provider}. ` +
          "Fill it (terraform providers mirror <dir>), or unset PACKAGECLOUD_TF_MIRROR to install providers from the registry.",
      );
    }
    return configured;
  }
  return mirrorHolds(fallback) ? fallback : undefined;
}

/** The Terraform CLI configuration for a mirror, or for the registry (with a plugin cache) when there is none. */
export function cliConfig(mirror: string | undefined, pluginCache: string): string {
  const lines = mirror
    ? [
        "provider_installation {",
        "  filesystem_mirror {",
        `    path    = ${JSON.stringify(mirror)}`,
        '    include = ["registry.terraform.io/hashicorp/aws"]',
        "  }",
        "  direct {",
        '    exclude = ["registry.terraform.io/hashicorp/aws"]',
        "  }",
        "}",
      ]
    : [
        `plugin_cache_dir = ${JSON.stringify(pluginCache)}`,
        // Throwaway working directories with no lock file yet: without this, Terraform >= 1.4 downloads again.
        "plugin_cache_may_break_dependency_lock_file = true",
        "provider_installation {",
        "  direct {}",
        "}",
      ];
  return [...lines, ""].join("\n");
}
