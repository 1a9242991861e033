import type { Context } from "aws-lambda";
import { handler } from "../../../functions/audit/index";

test("the wired handler answers an empty stream batch with no failures", async () => {
  const context = { functionName: "wh-test-audit", awsRequestId: "request-1" } as unknown as Context;

  expect(await handler({ Records: [] }, context)).toStrictEqual({ batchItemFailures: [] });
});
