/** The Custom Elements Manifest, read by Storybook's docs and by editors. */
export default {
  globs: ['components/**/*.ts'],
  exclude: ['components/index.ts'],
  outdir: '.',
  litelement: true,
  dependencies: false,
  packagejson: false,
};
