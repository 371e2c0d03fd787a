import react from "@vitejs/plugin-react";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

/** Workers have no `document`: the markdown parser's entity decoder must be its plain build,
 * not the browser one (which decodes through a DOM element). */
function workerEntityDecoder(): Plugin {
  return {
    name: "portdesk-worker-entity-decoder",
    enforce: "pre",
    async resolveId(source, importer, options) {
      if (source !== "decode-named-character-reference") return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved ? { ...resolved, id: resolved.id.replace(/index\.dom\.js$/, "index.js") } : null;
    },
  };
}

// The app runs under a strict CSP (script-src 'self', no eval, no inline scripts): relative asset
// paths, no eval-based source maps, a modern target for the system web view.
export default defineConfig({
  base: "./",
  plugins: [react()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  // The markdown worker shares modules with the page's chunks: ES module workers can.
  worker: { format: "es", plugins: () => [workerEntityDecoder()] },
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 600,
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
  },
});
