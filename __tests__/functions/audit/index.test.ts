import { handler } from "../../../functions/audit/index";

test("the wired handler answers an empty stream batch with no failures", async () => {
  expect(await handler({ Records: [] })).toStrictEqual({ batchItemFailures: [] });
});
