/**
 * Issue 22 item 1, the admin path in the synthesized gke stack: a built-in admin user whose password Terraform
 * only ever passes write-only (google v6.50.0: google_sql_user.password_wo, google_secret_manager_secret_version
 * .secret_data_wo), from an ephemeral random_password Terraform opens itself (hashicorp/random >= 3.7.0), and the
 * Secret Manager secret that keeps it. No input variable: no job and no operator supplies the password.
 */
import { ENV_NAMES } from "../../config";
import { ADMIN_USER, adminSecretId } from "../../constructs/cloud-sql-mysql";
import { sharedStack } from "../support/synth";

describe.each(ENV_NAMES)("packagecloud-%s-gke: the database admin", (name) => {
  const out = sharedStack(name, "gke");
  const users = Object.values(out.resources("google_sql_user")) as any[];
  const admin = users.find((u) => u.name === ADMIN_USER);

  it("has a built-in admin user on '%' whose password is write-only, from an ephemeral random_password", () => {
    expect(admin).toMatchObject({ type: "BUILT_IN", host: "%", password_wo: "${ephemeral.random_password.sql_admin_password.result}", password_wo_version: 1 });
    // `password` would be stored in state (Sensitive only hides it in CLI output).
    expect(admin).not.toHaveProperty("password");
    // Terraform JSON's top-level "ephemeral" object (cdktf 0.21 has no class for it). 40 letters and digits: the
    // grants Job reads it through a Kubernetes Secret, where no special character can need quoting.
    expect(out.json.ephemeral).toEqual({ random_password: { sql_admin_password: { length: 40, special: false } } });
    // hashicorp/random's ephemeral random_password is new in 3.7.0 (its CHANGELOG.md); pinned exactly.
    expect(out.json.terraform.required_providers.random).toEqual({ source: "hashicorp/random", version: "3.9.0" });
  });

  it("asks nobody for the password: no input variable, so no TF_VAR_ in any job or runbook", () => {
    expect(Object.keys(out.json.variable ?? {}).filter((v) => /password/i.test(v))).toEqual([]);
    expect(out.raw).not.toMatch(/\$\{var\.[a-z_]*password/);
  });

  it("keeps the password in its Secret Manager secret, written write-only, never read back", () => {
    const secrets = Object.values(out.resources("google_secret_manager_secret")) as any[];
    expect(secrets).toEqual([expect.objectContaining({ secret_id: adminSecretId(name), replication: { auto: {} }, deletion_protection: true })]);
    const versions = Object.values(out.resources("google_secret_manager_secret_version")) as any[];
    expect(versions).toHaveLength(1);
    // The same expression as the user's: one apply opens the ephemeral resource once, so both get the same value.
    expect(versions[0]).toMatchObject({ secret_data_wo: admin.password_wo, secret_data_wo_version: admin.password_wo_version });
    expect(versions[0]).not.toHaveProperty("secret_data");
    // A data source's result lands in state: nothing may read the secret's payload back.
    expect(Object.keys(out.json.data ?? {}).filter((t) => t.startsWith("google_secret_manager"))).toEqual([]);
  });

  it("enables Secret Manager before the secret", () => {
    const secret = Object.values(out.resources("google_secret_manager_secret"))[0] as any;
    expect(secret.depends_on).toContain("google_project_service.api_secretmanager");
  });
});
