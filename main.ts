// Source maps for our code only, and only for a bug's stack trace. The provider's modules carry
// large inline maps, and parsing one as each module loads costs a third of the synth's CPU time;
// and cdktf formats a full stack trace for every token it creates, which costs another 8% when
// frames are mapped. So maps are on while our modules load (Node keeps the maps of modules loaded
// while it is on, here all outside node_modules), off while the app synthesizes, and on again to
// format a bug's trace, whose positions then point into the TypeScript. Before Node 22.14 there is
// no switch for node_modules, and maps stay off.
const nodeModule = require("node:module") as {
  setSourceMapsSupport?: (
    enabled: boolean,
    options?: { nodeModules: boolean; generatedCode: boolean },
  ) => void;
};
const ourSourceMaps = (enabled: boolean) =>
  nodeModule.setSourceMapsSupport?.(enabled, { nodeModules: false, generatedCode: false });
if (!nodeModule.setSourceMapsSupport) process.setSourceMapsEnabled(false);

ourSourceMaps(true);
const { runSynth } = require("./stacks/synth-run") as typeof import("./stacks/synth-run");
ourSourceMaps(false);
process.exitCode = runSynth(process.env, console, () => ourSourceMaps(true));
