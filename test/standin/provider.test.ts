/**
 * The stand-in's answers, apart from the wire: Terraform's contract with a provider (hashicorp/terraform v1.11.4
 * internal/plans/objchange: planned values equal the configuration where it sets them, only computed attributes
 * unknown; after apply all known and every known planned value unchanged), and the store behind refresh and import.
 */
import { Unknown, type ProviderSchemaJson } from "../../emulator/standin/cty";
import { StandinProvider, StandinWorld } from "../../emulator/standin/provider";

const schema: ProviderSchemaJson = {
  provider: { block: { attributes: { project: { type: "string", optional: true } } } },
  resource_schemas: {
    google_service_account: {
      block: {
        attributes: {
          account_id: { type: "string", required: true },
          display_name: { type: "string", optional: true },
          project: { type: "string", optional: true, computed: true },
          email: { type: "string", computed: true },
          id: { type: "string", optional: true, computed: true },
        },
        block_types: {
          timeouts: { nesting_mode: "single", block: { attributes: { create: { type: "string", optional: true } } } },
        },
      },
    },
  },
  data_source_schemas: {},
};

function provider(): StandinProvider {
  const world = new StandinWorld();
  const p = new StandinProvider("google", schema, world);
  p.configure("conn", { project: "gitlab-pre" });
  return p;
}

const proposed = { account_id: "app", display_name: "App", project: null, email: null, id: null, timeouts: null };

describe("a stand-in provider", () => {
  it("plans computed attributes the configuration leaves unset as unknown on create, except the project the provider plans", () => {
    const planned = provider().plan("conn", "google_service_account", null, proposed).planned as Record<string, unknown>;
    expect(planned.account_id).toBe("app");
    expect(planned.display_name).toBe("App");
    for (const k of ["email", "id"]) expect(planned[k]).toBeInstanceOf(Unknown);
    // tpgresource.DefaultProviderProject (google 6.50.0 tpgresource/utils.go:861) sets the provider's project in the plan.
    expect(planned.project).toBe("gitlab-pre");
    expect(planned.timeouts).toBeNull();
  });

  it("fills the unknowns deterministically on apply, keeps every known value, and records the create", async () => {
    const p = provider();
    const planned = p.plan("conn", "google_service_account", null, proposed).planned;
    const applied = (await p.apply("conn", "google_service_account", null, planned)) as Record<string, unknown>;
    expect(applied).toMatchObject({ account_id: "app", display_name: "App", project: "gitlab-pre", email: "app@gitlab-pre.iam.gserviceaccount.com" });
    expect(applied.id).toBe("projects/gitlab-pre/serviceAccounts/app@gitlab-pre.iam.gserviceaccount.com");
    expect(await provider().apply("conn", "google_service_account", null, planned)).toEqual(applied);
    expect(p.world.creates.map((c) => [c.type, c.id, c.label])).toEqual([["google_service_account", applied.id, "app"]]);
  });

  it("keeps prior values on update, reads back the stored object (with drift), and forgets it on destroy", async () => {
    const p = provider();
    const created = (await p.apply("conn", "google_service_account", null, p.plan("conn", "google_service_account", null, proposed).planned)) as Record<string, unknown>;
    const update = { ...created, display_name: "Renamed" };
    expect(p.plan("conn", "google_service_account", created, update).planned).toEqual(update);
    p.world.get("google_service_account", created.id as string)!.value.display_name = "Changed by hand";
    expect(p.read("google_service_account", created)).toMatchObject({ display_name: "Changed by hand" });
    expect(await p.apply("conn", "google_service_account", created, null)).toBeNull();
    expect(p.read("google_service_account", created)).toBeNull();
  });

  it("imports only what exists, found by the attributes the provider's import id formats name", () => {
    const p = provider();
    expect(() => p.importState("conn", "google_service_account", "projects/gitlab-pre/serviceAccounts/none@gitlab-pre.iam.gserviceaccount.com")).toThrow(
      /Cannot import non-existent remote object/,
    );
    const email = "old-account@gitlab-pre.iam.gserviceaccount.com";
    p.world.put({ provider: "google", type: "google_service_account", id: "sa-1", value: { account_id: "old-account", email, project: "gitlab-pre", id: "sa-1" } });
    // resource_google_service_account.go:339-342: projects/{{project}}/serviceAccounts/{{email}}, {{project}}/{{email}}, {{email}}.
    for (const id of [`projects/gitlab-pre/serviceAccounts/${email}`, `gitlab-pre/${email}`, email]) {
      expect(p.importState("conn", "google_service_account", id)).toMatchObject({ account_id: "old-account", id: "sa-1", timeouts: null });
    }
    // Another project's account of the same email is not this one.
    expect(() => p.importState("conn", "google_service_account", `projects/gitlab-ops/serviceAccounts/${email}`)).toThrow(/non-existent/);
  });

  it("keeps each connection's provider configuration apart (two stacks planned at once)", async () => {
    const p = provider();
    p.configure("other", { project: "gitlab-ops" });
    const pre = (await p.apply("conn", "google_service_account", null, p.plan("conn", "google_service_account", null, proposed).planned)) as Record<string, unknown>;
    const ops = (await p.apply("other", "google_service_account", null, p.plan("other", "google_service_account", null, proposed).planned)) as Record<string, unknown>;
    expect([pre.project, ops.project]).toEqual(["gitlab-pre", "gitlab-ops"]);
  });
});
