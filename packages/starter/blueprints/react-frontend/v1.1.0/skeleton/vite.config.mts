import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev` serves the app on http://localhost:5173 and forwards the API path to a backend
// running locally (set API_TARGET to point elsewhere).
export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      '${{ values.apiPath }}': {
        target: process.env.API_TARGET ?? 'http://localhost:8080',
        changeOrigin: true,
      },
    },
  },
  build: {
    outDir: 'dist',
    sourcemap: true,
  },
});
