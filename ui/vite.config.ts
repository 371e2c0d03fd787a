import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The app runs under a strict CSP (script-src 'self', no eval, no inline scripts): relative asset
// paths, no eval-based source maps, a modern target for the system web view.
export default defineConfig({
  base: "./",
  plugins: [react()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
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
