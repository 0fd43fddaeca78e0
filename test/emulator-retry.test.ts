/**
 * The emulator loop's retry policy: transport errors from moto_server are retried (bounded), unimplemented APIs
 * still fail at once.
 */
import { EMULATOR_MAX_ATTEMPTS, TRANSIENT_TRANSPORT_ERROR } from "../stacks/aws-provider";

describe("emulator retries", () => {
  it("re-applies on the transport error seen in a failed deploy (SNS SetTopicAttributes)", () => {
    const seen =
      'Error: setting SNS Topic (arn:aws:sns:us-west-1:123456789012:packagecloud-pre-alerts) attribute (Policy): operation error SNS: SetTopicAttributes, https response error StatusCode: 0, RequestID: , request send failed, Post "http://127.0.0.1:41023/": read tcp 127.0.0.1:52144->127.0.0.1:41023: use of closed network connection';
    expect(seen).toMatch(TRANSIENT_TRANSPORT_ERROR);
    expect("read: connection reset by peer").toMatch(TRANSIENT_TRANSPORT_ERROR);
  });

  it("never re-applies on an unimplemented API (HTTP 500) or a refused request", () => {
    expect("operation error DLM: CreateLifecyclePolicy, exceeded maximum number of attempts, 3, https response error StatusCode: 500").not.toMatch(TRANSIENT_TRANSPORT_ERROR);
    expect("api error AccessDenied: Access Denied").not.toMatch(TRANSIENT_TRANSPORT_ERROR);
  });

  it("bounds the provider's attempts per call", () => {
    expect(EMULATOR_MAX_ATTEMPTS).toBeGreaterThan(1);
    expect(EMULATOR_MAX_ATTEMPTS).toBeLessThanOrEqual(3);
  });
});
