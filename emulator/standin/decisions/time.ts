/**
 * hashicorp/time v0.13.1: what the provider decides for the propagation waits the gke stack sets (time_sleep), read
 * from github.com/hashicorp/terraform-provider-time at v0.13.1 (`git show v0.13.1:<path>`). Written on
 * terraform-plugin-framework (v1.14.1) with terraform-plugin-framework-validators v0.17.0.
 *
 * `triggers` is why a wait runs again: RequiresReplace replaces the sleep when a trigger changes, and the replacement's
 * create sleeps `create_duration` again (resource_time_sleep.go:167-196); an update of create_duration alone does not
 * sleep (its description, :75-76).
 */
import type { TypeDecision } from "./types";

const SLEEP = "internal/provider/resource_time_sleep.go";
/** stringvalidator.RegexMatches (:80, :91): the duration's shape, with the provider's own message. */
const DURATION = {
  kind: "pattern",
  regex: "^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$",
  message:
    'must be a number immediately followed by ms (milliseconds), s (seconds), m (minutes), or h (hours). For example, "30s" for 30 seconds.',
} as const;

export const TIME_DECISIONS: readonly TypeDecision[] = [
  {
    type: "time_sleep",
    provider: "time",
    sdk: "framework",
    source: `${SLEEP}:68`,
    // :116-127: "CREATEDURATION,DESTROYDURATION", split on ",", at least one non-empty; each must parse as a Go
    // duration (:135-158). Import creates the state from the id alone: nothing is looked up.
    importIds: ["{{create_duration}},{{destroy_duration}}"],
    importFormats: ["^(?P<create_duration>[^,]*),(?P<destroy_duration>[^,]*)$"],
    importRefusal: 'Unexpected format of ID ("{id}"), expected CREATEDURATION,DESTROYDURATION where at least one value is non-empty',
    notModelled: ["no schema version (the schema sets none)", "the provider has no configuration"],
    attributes: [
      {
        path: "time_sleep.create_duration",
        source: `${SLEEP}:74`,
        refuse: [{ kind: "at_least_one_of", paths: ["time_sleep.destroy_duration"] }, DURATION],
        note: "stringvalidator.AtLeastOneOf(path.MatchRoot(\"destroy_duration\")) (:79); no plan modifier: a change updates in place without sleeping",
      },
      {
        path: "time_sleep.destroy_duration",
        source: `${SLEEP}:84`,
        refuse: [{ kind: "at_least_one_of", paths: ["time_sleep.create_duration"] }, DURATION],
        note: "not set by the stacks",
      },
      {
        path: "time_sleep.triggers",
        source: `${SLEEP}:95`,
        replace: { kind: "always" },
        note: "mapplanmodifier.RequiresReplace() (:101): any change of the map replaces the sleep, which sleeps again",
      },
    ],
  },
];
