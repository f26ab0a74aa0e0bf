/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

// One build (dist/) served three ways: by IIS (public/web.config), by `roa2web serve` at /,
// and in development by Vite with ONE proxy target for the API (ROA2WEB_API moves it off :8000).
const apiTarget = process.env.ROA2WEB_API ?? 'http://localhost:8000'

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    proxy: { '/api': apiTarget },
  },
  build: {
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 250,
  },
  test: {
    environment: 'node',
    include: ['tests/**/*.test.ts'],
  },
})
