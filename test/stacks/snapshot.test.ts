/**
 * One snapshot per stack: a change detector for review, so a merge request shows the Terraform it changes.
 * Behaviour is asserted elsewhere; a snapshot update is never the fix for a failing behaviour test.
 */
import { ALL_STACKS, synthLayer } from "../support/synth";
import { withReadableUserData } from "../support/user-data";

// Testing.synth already drops cdktf's metadata ("//"): what is left is what Terraform reads, except the VM's
// gzipped user data, shown as its document so that a change to a first-boot script reads as a line diff.
it.each(ALL_STACKS)("packagecloud-%s-%s synthesizes to the reviewed Terraform", (env, layer) => {
  expect(withReadableUserData(synthLayer(env, layer).out.json)).toMatchSnapshot();
});
