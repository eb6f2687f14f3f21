import { defineConfig } from 'vite';

// Tauri expects a fixed port and a target its WebViews understand (WebKitGTK on Linux, WebKit on macOS, WebView2 on Windows).
export default defineConfig({
  clearScreen: false,
  envPrefix: ['VITE_', 'TAURI_ENV_'],
  server: {
    port: 1420,
    strictPort: true,
    host: process.env.TAURI_DEV_HOST || false,
    watch: { ignored: ['**/src-tauri/**'] },
  },
  preview: { port: 4173, strictPort: true },
  build: {
    target: ['es2021', 'safari15'],
    minify: process.env.TAURI_ENV_DEBUG ? false : 'esbuild',
    sourcemap: !!process.env.TAURI_ENV_DEBUG,
    outDir: 'dist',
    emptyOutDir: true,
  },
});
