/**
 * Issue 22 item 1, the admin path in the synthesized gke stack: a built-in admin user whose password Terraform
 * only ever passes write-only (google v6.50.0: google_sql_user.password_wo, google_secret_manager_secret_version
 * .secret_data_wo), from an ephemeral variable, and the Secret Manager secret that keeps it.
 */
import { ENV_NAMES } from "../../config";
import { ADMIN_PASSWORD_VARIABLE, ADMIN_USER, adminSecretId } from "../../constructs/cloud-sql-mysql";
import { sharedStack } from "../support/synth";

describe.each(ENV_NAMES)("packagecloud-%s-gke: the database admin", (name) => {
  const out = sharedStack(name, "gke");
  const users = Object.values(out.resources("google_sql_user")) as any[];
  const admin = users.find((u) => u.name === ADMIN_USER);

  it("has a built-in admin user on '%' whose password is write-only, from the ephemeral variable", () => {
    expect(admin).toMatchObject({ type: "BUILT_IN", host: "%", password_wo: `\${var.${ADMIN_PASSWORD_VARIABLE}}`, password_wo_version: 1 });
    // `password` would be stored in state (Sensitive only hides it in CLI output).
    expect(admin).not.toHaveProperty("password");
    expect(out.json.variable[ADMIN_PASSWORD_VARIABLE]).toMatchObject({ type: "string", sensitive: true, ephemeral: true, nullable: false });
    expect(out.json.variable[ADMIN_PASSWORD_VARIABLE]).not.toHaveProperty("default");
  });

  it("keeps the password in its Secret Manager secret, written write-only, never read back", () => {
    const secrets = Object.values(out.resources("google_secret_manager_secret")) as any[];
    expect(secrets).toEqual([expect.objectContaining({ secret_id: adminSecretId(name), replication: { auto: {} }, deletion_protection: true })]);
    const versions = Object.values(out.resources("google_secret_manager_secret_version")) as any[];
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ secret_data_wo: `\${var.${ADMIN_PASSWORD_VARIABLE}}`, secret_data_wo_version: admin.password_wo_version });
    expect(versions[0]).not.toHaveProperty("secret_data");
    // A data source's result lands in state: nothing may read the secret's payload back.
    expect(Object.keys(out.json.data ?? {}).filter((t) => t.startsWith("google_secret_manager"))).toEqual([]);
  });

  it("enables Secret Manager before the secret", () => {
    const secret = Object.values(out.resources("google_secret_manager_secret"))[0] as any;
    expect(secret.depends_on).toContain("google_project_service.api_secretmanager");
  });
});
