import { setTimeout as delay } from "node:timers/promises";
import type { Clock } from "../ports";

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms) => {
    await delay(ms);
  },
};
