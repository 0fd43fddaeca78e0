/**
 * One snapshot per stack: a change detector for review, so a merge request shows the Terraform it changes.
 * Behaviour is asserted elsewhere; a snapshot update is never the fix for a failing behaviour test.
 */
import { ENV_NAMES } from "../../config";
import { synthStorage } from "../support/synth";

describe.each(ENV_NAMES)("packagecloud-%s", (env) => {
  it("storage synthesizes to the reviewed Terraform", () => {
    // Testing.synth already drops cdktf's metadata ("//"): what is left is what Terraform reads.
    expect(synthStorage(env).out.json).toMatchSnapshot();
  });
});
