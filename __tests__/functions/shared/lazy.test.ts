import { lazily } from "@webhooks/shared";

describe("lazily", () => {
  test("makes nothing until first asked", () => {
    const make = jest.fn(async () => "client");
    lazily(make);
    expect(make).not.toHaveBeenCalled();
  });

  test("makes the value once and shares it, concurrent callers included", async () => {
    const make = jest.fn(async () => ({ id: Math.random() }));
    const get = lazily(make);
    const [first, second] = await Promise.all([get(), get()]);
    expect(await get()).toBe(first);
    expect(second).toBe(first);
    expect(make).toHaveBeenCalledTimes(1);
  });

  test("a failed make is forgotten: the next call makes it again", async () => {
    const make = jest
      .fn<Promise<string>, []>()
      .mockRejectedValueOnce(new Error("module not found"))
      .mockResolvedValue("client");
    const get = lazily(make);
    await expect(get()).rejects.toThrow("module not found");
    await expect(get()).resolves.toBe("client");
    expect(make).toHaveBeenCalledTimes(2);
  });
});
