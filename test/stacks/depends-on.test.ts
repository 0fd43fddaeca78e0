/**
 * Terraform reads JSON `depends_on` as a list of bare addresses and refuses anything else at load, before a provider
 * is installed ("Invalid expression … A single static variable reference is required"): every stack of every
 * environment, both targets' layers and the existing-cluster mode, read the way Terraform reads it.
 */
import { ENV_NAMES } from "../../config";
import { LAYERS } from "../../config/naming";
import { sharedStack } from "../support/synth";
import { TerraformGraph } from "../support/terraform-graph";
import { existingClusterStack } from "./gke-modes";

describe("depends_on as Terraform reads it", () => {
  it.each(ENV_NAMES.flatMap((env) => LAYERS.map((layer) => [env, layer] as const)))("packagecloud-%s-%s lists bare addresses only", (env, layer) => {
    const json = sharedStack(env, layer).json;
    expect(() => new TerraformGraph(json)).not.toThrow();
    const entries = Object.values<any>({ ...json.resource, ...json.data }).flatMap((byName) => Object.values<any>(byName).flatMap((b) => b.depends_on ?? []));
    if (layer === "gke") expect(entries.length).toBeGreaterThan(0);
  });

  it("the existing-cluster GKE stack lists bare addresses only", () => {
    expect(() => new TerraformGraph(existingClusterStack("ops").json)).not.toThrow();
  });

  it("fails on a ${…} template, as Terraform does", () => {
    const json = { resource: { google_x: { a: {}, b: { depends_on: ["${google_x.a}"] } } } };
    expect(() => new TerraformGraph(json)).toThrow(/google_x\.b: depends_on entry "\$\{google_x\.a\}" is not a bare address/);
    expect(new TerraformGraph({ resource: { google_x: { a: {}, b: { depends_on: ["google_x.a"] } } } }).orders("google_x.a", "google_x.b")).toBe(true);
  });
});
