import { defineConfig } from 'vite';

// React through esbuild's automatic JSX runtime: no Babel plugin, so the build stays a few seconds
// and the dependency list stays at react, react-dom and vite.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 400 },
  server: { proxy: { '/console/api': 'http://127.0.0.1:8080', '/api': 'http://127.0.0.1:8080' } },
});
