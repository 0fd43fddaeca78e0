import { denyInsecureTransport, policyDocument } from "../../constructs/policy-document";

describe("policyDocument", () => {
  it("renders a versioned IAM document", () => {
    expect(JSON.parse(policyDocument([denyInsecureTransport("arn:aws:s3:::b")]))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: "s3:*",
          Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
  });

  it("fails if a Sid is used twice (IAM would reject the document at apply time)", () => {
    const s = { Sid: "Read", Effect: "Allow" as const, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" };
    expect(() => policyDocument([s, s])).toThrow(/Sid "Read" is used twice/);
  });

  it("fails if a Sid is not alphanumeric", () => {
    expect(() => policyDocument([{ Sid: "read-objects", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }])).toThrow(/Sid "read-objects" must be alphanumeric/);
  });
});
