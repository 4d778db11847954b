import type { StorybookConfig } from '@storybook/web-components-vite';

/**
 * The gallery. In `npm run dev` the stories call the real API through Vite's proxy; in the
 * built gallery (served at /gallery/) they call the same origin.
 */
const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true },
  async viteFinal(viteConfig) {
    const apiTarget = process.env.AB_API_ORIGIN ?? 'http://127.0.0.1:3000';
    return {
      ...viteConfig,
      base: process.env.AB_GALLERY_BASE ?? viteConfig.base,
      server: { ...viteConfig.server, proxy: { '/api': { target: apiTarget, changeOrigin: false } } },
    };
  },
};
export default config;
