import { Lazy, TerraformOutput, TerraformStack, Testing } from "cdktf";

// jest.config.js maps cdktf's creation-stack capture to ./creation-stack.ts: its messages must
// still say where a token that fails to resolve was made.
test("a resolution error's creation stack names the file that made the token", () => {
  const stack = new TerraformStack(Testing.app(), "creation-stack");
  const failing = Lazy.stringValue({
    produce: () => {
      throw new Error("no value");
    },
  });
  new TerraformOutput(stack, "output", { value: failing });

  expect(() => Testing.synth(stack)).toThrow(
    /Resolution error: no value\.\nObject creation stack:\n(.*\n)*\s+at .*creation-stack\.test\.ts:\d+:\d+/,
  );
});
