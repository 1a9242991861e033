// The provider's modules carry large inline source maps, and with source maps on (tsx turns them
// on) Node parses each one as the module loads: about a quarter of the synth's time. Synth errors
// name construct paths, so the app runs without them; the modules load after this line.
process.setSourceMapsEnabled(false);

const { synthesizeApp } = require("./stacks/app") as typeof import("./stacks/app");
synthesizeApp();
