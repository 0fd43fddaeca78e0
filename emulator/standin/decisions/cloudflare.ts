/**
 * cloudflare/cloudflare v5.14.0: what the provider decides for what the dns stack sets in Cloudflare (ops), read from
 * github.com/cloudflare/terraform-provider-cloudflare at v5.14.0 (`git show v5.14.0:<path>`). The provider is written
 * on terraform-plugin-framework (v1.15.0) with terraform-plugin-framework-validators v0.17.0, so refusals are worded
 * as those validators word them (helpers/validatordiag/diag.go: "Invalid Attribute Value Match", "Invalid Attribute
 * Combination"...).
 *
 * What the schema does not check and the API does (so the stand-ins cannot know it): `ttl` between 60 and 86400, or
 * 1 for "automatic", 30 on Enterprise zones (only the description of schema.go:333 says so); a proxied record with a
 * TTL other than 1; the zone existing and the token being allowed to edit it.
 */
import type { TypeDecision } from "./types";

const SCHEMA = "internal/services/dns_record/schema.go";

export const CLOUDFLARE_DECISIONS: readonly TypeDecision[] = [
  {
    type: "cloudflare_dns_record",
    provider: "cloudflare",
    sdk: "framework",
    source: `${SCHEMA}:28`,
    // resource.go:223-240: importpath.ParseImportID(req.ID, "<zone_id>/<dns_record_id>", ...) splits on "/" and wants
    // exactly two URL-encoded segments (internal/importpath/parse.go:12-21), then reads the record; a record the
    // API does not have fails the import ("failed to make http request", :253).
    importIds: ["<zone_id>/<dns_record_id>"],
    importFormats: ["^(?P<zone_id>[^/]*)/(?P<id>[^/]*)$"],
    importRefusal: 'invalid ID: expected urlencoded segments "<zone_id>/<dns_record_id>", got "{id}"',
    notModelled: [
      "ModifyPlan (resource.go:268) keeps the state's name when the configuration names the same record shorter (FQDN in state, subdomain in config), compares CNAME content case-insensitively, and keeps computed fields (modified_on, settings, tags) from state when nothing changed: the stacks configure the name as the API returns it, and the stand-ins keep computed values from state on update",
      "no schema version (schema.go sets none; migrations.go:13 has no upgraders)",
      "the provider block's credentials (api_token from CLOUDFLARE_API_TOKEN) are not checked: the stand-ins have no API to call",
    ],
    attributes: [
      { path: "cloudflare_dns_record.zone_id", source: `${SCHEMA}:36`, replace: { kind: "always" }, note: "stringplanmodifier.RequiresReplace() (:39)" },
      { path: "cloudflare_dns_record.name", source: `${SCHEMA}:396`, note: "Required, no validator, no plan modifier: a rename updates the record in place" },
      {
        path: "cloudflare_dns_record.type",
        source: `${SCHEMA}:62`,
        replace: { kind: "always" },
        refuse: [
          {
            kind: "enum",
            ignoreCase: true,
            values: [
              "A",
              "AAAA",
              "CNAME",
              "MX",
              "NS",
              "OPENPGPKEY",
              "PTR",
              "TXT",
              "CAA",
              "CERT",
              "DNSKEY",
              "DS",
              "HTTPS",
              "LOC",
              "NAPTR",
              "SMIMEA",
              "SRV",
              "SSHFP",
              "SVCB",
              "TLSA",
              "URI",
            ],
          },
        ],
        note: "stringvalidator.OneOfCaseInsensitive (:66-88); stringplanmodifier.RequiresReplace() (:90)",
      },
      {
        path: "cloudflare_dns_record.content",
        source: `${SCHEMA}:45`,
        refuse: [{ kind: "conflicts_with", paths: ["cloudflare_dns_record.data"] }],
        note: "Optional+Computed; stringvalidator.ConflictsWith(path.MatchRoot(\"data\")) (:51); updates in place",
      },
      { path: "cloudflare_dns_record.ttl", source: `${SCHEMA}:333`, note: "Required Float64, no validator at the tag: the 1 / 60-86400 rule is the API's" },
      { path: "cloudflare_dns_record.proxied", source: `${SCHEMA}:327`, default: false, note: "Computed+Optional, booldefault.StaticBool(false) (:331)" },
      { path: "cloudflare_dns_record.comment", source: `${SCHEMA}:41`, note: "Optional, no validator" },
      {
        path: "cloudflare_dns_record.data",
        source: `${SCHEMA}:92`,
        refuse: [{ kind: "conflicts_with", paths: ["cloudflare_dns_record.content"] }],
        note: "not set by the stacks; objectvalidator.ConflictsWith(path.MatchRoot(\"content\")) (:97)",
      },
      {
        path: "cloudflare_dns_record.priority",
        source: `${SCHEMA}:55`,
        refuse: [{ kind: "range", min: 0, max: 65535, float: true }],
        note: "not set by the stacks; float64validator.Between(0, 65535) (:59)",
      },
    ],
  },
  {
    type: "provider",
    provider: "cloudflare",
    sdk: "framework",
    source: "internal/provider.go:275",
    notModelled: [
      "the stacks configure the provider with nothing (the token comes from CLOUDFLARE_API_TOKEN), so no provider attribute is set; api_token's RegexMatches `[A-Za-z0-9-_]{40}` (internal/provider.go:301) would judge a configured token",
    ],
    attributes: [],
  },
];
