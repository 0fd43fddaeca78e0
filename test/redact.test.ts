/** config/redact.ts: values that look secret never appear in a refusal, and ordinary values are left alone. */
import { ConfigError } from "../config";
import { looksSecret, redactSecrets } from "../config/redact";
import { formatValue } from "../config/format";
import { checkUrlSecrets, concealUrlSecrets } from "../config/url-secrets";

describe("redactSecrets", () => {
  it.each([
    ["an age identity", `AGE-SECRET-KEY-1${"QYQSZQGP".repeat(7)}9X`, "QYQSZQGPQYQSZQGP"],
    ["a PagerDuty integration URL", "https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue", "0123456789abcdef"],
    ["a PagerDuty EU routing key in a query", "https://events.eu.pagerduty.com/v2/enqueue?routing_key=R0123456789ABCDEF", "R0123456789ABCDEF"],
    ["a Slack webhook", "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", "XXXXXXXXXXXX"],
    ["a Slack bot token", "xoxb-123456789012-abcdefABCDEF", "abcdefABCDEF"],
    ["a GitLab token", "glpat-abcdefghij0123456789", "abcdefghij0123456789"],
    ["a GitHub token", `ghp_${"a1B2".repeat(9)}`, "a1B2a1B2a1B2"],
    ["an AWS access key id", "AKIAIOSFODNN7EXAMPLE", "IOSFODNN7EXAMPLE"],
    ["a URL's password", "https://deploy:s3cr3t-pass@packagecloud.io/x/", "s3cr3t-pass"],
    // packagecloud's apt instructions put the read token in the user part: the user is the secret.
    ["a token as a URL's user", "https://0123456789abcdef0123:@packagecloud.io/x/", "0123456789abcdef0123"],
    ["a token as a URL's only user info", "https://tokenvalue42@packagecloud.io/x/", "tokenvalue42"],
    ["a packagecloud /priv/ path", "https://packagecloud.io/priv/5up3rS3cr3t/org/repo/", "5up3rS3cr3t"],
    ["a token query parameter", "https://example.com/hook?token=abc123def456", "abc123def456"],
    ["a PEM private key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", "b3BlbnNzaC1rZXktdjEAAAAA"],
  ])("cuts %s out, saying what it was", (_what, secret, part) => {
    const text = `field = "${secret}": is wrong`;
    const redacted = redactSecrets(text);
    expect(redacted).not.toContain(part);
    expect(redacted).toContain("…(redacted)");
    expect(looksSecret(redacted)).toBe(false);
    expect(redactSecrets(redacted)).toBe(redacted);
  });

  it("leaves ordinary configuration values alone", () => {
    for (const value of [
      "https://runbooks.gitlab.net/packagecloud/backups",
      "age1ff9knpa9m0dv5ed30m8es5euwcrxeutgkk8yxkxjhgvq0gmngaysqunk6g",
      "https://packagecloud.io/computology/packagecloud-enterprise/gpgkey",
      "packagecloud-alerts@gitlab.com",
      "registry.gitlab.com/gitlab-com/gl-infra/packagecloud-backup@sha256:" + "0".repeat(64),
      "packagecloud-backup-age-identity",
    ]) {
      expect(redactSecrets(value)).toBe(value);
    }
  });

  it("applies to every ConfigError, whoever raises it", () => {
    const error = new ConfigError("ops", ["x = \"glpat-abcdefghij0123456789\": bad"], [new ConfigError("pre", ["y = \"AKIAIOSFODNN7EXAMPLE\": bad"])]);
    expect(error.message).not.toMatch(/abcdefghij0123456789|IOSFODNN7EXAMPLE/);
    expect(error.problems[0]).toBe("x = \"glpat-…(redacted)\": bad");
  });
});

describe("secrets in URLs (config/url-secrets.ts, issue 29 §4)", () => {
  it.each([
    ["user info", "https://a1b2c3d4e5f6:@packagecloud.io/org/repo/ubuntu/", "a1b2c3d4e5f6", /credentials/],
    ["a credential-named query parameter", "https://packagecloud.io/org/repo/?api_key=zzz999", "zzz999", /query string/],
    ["a token-shaped query value", "https://example.com/x?t=0123456789abcdef0123", "0123456789abcdef0123", /query string/],
    ["a hex path segment", "https://packagecloud.io/0f1e2d3c4b5a69788796a5b4c3d2e1f0/org/", "0f1e2d3c4b5a69788796", /path/],
    ["a mixed letters-and-digits path segment", "https://host.example/Ab12Cd34Ef56Gh78Ij90Kl12/x", "Ab12Cd34Ef56Gh78Ij90Kl12", /path/],
    ["a segment after priv", "https://packagecloud.io/priv/abc/org/", "/priv/abc/", /path/],
  ])("refuses %s, and neither the sentence nor the printed value repeats it", (_what, url, secret, why) => {
    const problem = checkUrlSecrets(url);
    expect(problem).toMatch(why);
    expect(problem).not.toContain(secret);
    expect(concealUrlSecrets(url)).not.toContain(secret);
    expect(formatValue(url)).not.toContain(secret);
    expect(concealUrlSecrets(url)).toContain("…(redacted)");
  });

  it("accepts the URLs the environments hold, and plain queries and paths", () => {
    for (const url of [
      "https://packagecloud.io/computology/packagecloud-enterprise/ubuntu/",
      "https://packagecloud.io/computology/packagecloud-enterprise/gpgkey",
      "https://runbooks.gitlab.net/packagecloud/backups?view=restore#first-backup",
      "http://prometheus-pushgateway.monitoring.svc:9091",
      "https://example.com/releases/v1.2.3/packagecloud-enterprise_3.0.0_amd64.deb",
    ]) {
      expect(checkUrlSecrets(url)).toBeUndefined();
      expect(concealUrlSecrets(url)).toBe(url);
    }
  });
});
