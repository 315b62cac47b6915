// Test bundles for scripts/run-tests.mjs. tap runs every test file in a process of its own, and a
// process costs about 0.75 s of CPU in tap's own start-up plus the loading of the file's TypeScript
// imports one by one through tsx's loader hooks: for 200 small unit files, more than the tests.
// So, with esbuild (npm packages stay external, loaded from node_modules as before):
// - a file of its own (integration tests: boxes, ports by pid, browsers) is bundled into
//   <dir>/<its path>.mjs, plain JavaScript;
// - small files (unit tests) are bundled in groups: <dir>/groups/<name>.mjs runs each member
//   file in turn as a subtest named by its path, so the output keeps "file > test > assertion" and
//   a member's top-level `t` (before, teardown, test…) acts on its own file's subtest.
// Code shared between bundles goes into chunks beside them. Each module's import.meta.url, dirname
// and filename are its source file's, so fixtures found relative to a file still are.
import { readFileSync, rmSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const BUNDLE_DIR = '.test-bundles';

const LOADERS = { '.ts': 'ts', '.tsx': 'tsx', '.mts': 'ts', '.js': 'js', '.mjs': 'js' };
const inProject = (path) => !path.includes('/node_modules/');

/**
 * import.meta → a constant of the module's own source file: { url, dirname, filename }, declared at
 * the start of its first line (after a shebang; line numbers stay) and put in by esbuild's
 * `define` (in code only: a string or comment naming import.meta.url is left alone).
 */
const sourceImportMeta = {
  name: 'source-import-meta',
  setup(b) {
    b.initialOptions.define = { ...b.initialOptions.define, 'import.meta': SOURCE_META };
    b.onLoad({ filter: /\.(m?[jt]s|tsx)$/ }, (args) => {
      if (!inProject(args.path)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta')) return undefined;
      const meta = { url: pathToFileURL(args.path).href, dirname: dirname(args.path), filename: args.path };
      const at = text.startsWith('#!') ? text.indexOf('\n') + 1 : 0; // after a shebang line
      const contents = `${text.slice(0, at)}const ${SOURCE_META} = ${JSON.stringify(meta)}; ${text.slice(at)}`;
      return { contents, loader: LOADERS[extname(args.path)] ?? 'default', resolveDir: dirname(args.path) };
    });
  },
};
const SOURCE_META = '__sourceImportMeta';

// The `tap` a grouped file imports: the subtest of the member file running now (see groupEntry).
const SCOPED_TAP = `import tap from 'tap';
let scope = tap;
export function setScope(t) { scope = t; }
export default new Proxy({}, {
  get(_, key) { const v = scope[key]; return typeof v === 'function' ? v.bind(scope) : v; },
  set(_, key, value) { scope[key] = value; return true; },
});`;

/** A group's entry: each member file, in order, imported inside a subtest named by its path. */
function groupEntry(members) {
  const lines = members.map((f) => `  [${JSON.stringify(f)}, () => import(${JSON.stringify(resolve(f))})],`);
  return `import t from 'tap';
import { setScope } from 'scoped-tap';
const members = [
${lines.join('\n')}
];
for (const [name, load] of members) {
  t.test(name, async (ft) => {
    setScope(ft);
    await load();
  });
}`;
}

/** Group entries (namespace "group") and, inside groups, `tap` → the member's own subtest. */
function groupsPlugin(groups) {
  return {
    name: 'test-groups',
    setup(b) {
      b.onResolve({ filter: /^group:/ }, (args) => ({ path: args.path.slice(6), namespace: 'group' }));
      b.onLoad({ filter: /.*/, namespace: 'group' }, (args) => ({
        contents: groupEntry(groups.get(args.path)),
        loader: 'js',
        resolveDir: resolve('.'),
      }));
      b.onResolve({ filter: /^scoped-tap$/ }, () => ({ path: 'scoped-tap', namespace: 'scoped-tap' }));
      b.onLoad({ filter: /.*/, namespace: 'scoped-tap' }, () => ({ contents: SCOPED_TAP, loader: 'js', resolveDir: resolve('.') }));
      // In a group's bundle, a project file's `import t from 'tap'` is the member's subtest.
      b.onResolve({ filter: /^tap$/ }, (args) =>
        args.namespace === 'file' && inProject(args.importer) ? { path: 'scoped-tap', namespace: 'scoped-tap' } : undefined,
      );
    },
  };
}
const OPTIONS = {
  outbase: '.',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
};

/**
 * Bundle the test files: `own` each into its own bundle, `groups` (name → member files) into one
 * bundle per group (a build of their own: there every project file's `tap` is the scoped one).
 * Returns the bundles to run, in order (groups first). Paths are relative to the repository root,
 * the working directory; `dir` (emptied first) must be inside it, where node_modules is found.
 */
export async function bundleTests({ own = [], groups = new Map(), dir = BUNDLE_DIR }) {
  rmSync(dir, { recursive: true, force: true });
  await Promise.all([
    groups.size > 0 &&
      build({
        ...OPTIONS,
        outdir: dir,
        entryPoints: [...groups.keys()].map((name) => ({ in: `group:${name}`, out: `groups/${name}` })),
        chunkNames: '_chunks/g-[name]-[hash]',
        plugins: [groupsPlugin(groups), sourceImportMeta],
      }),
    own.length > 0 &&
      build({
        ...OPTIONS,
        outdir: dir,
        entryPoints: own.map((f) => ({ in: f, out: f.replace(/\.ts$/, '') })),
        chunkNames: '_chunks/[name]-[hash]',
        plugins: [sourceImportMeta],
      }),
  ]);
  return [
    ...[...groups.keys()].map((name) => join(dir, 'groups', `${name}.mjs`)),
    ...own.map((f) => join(dir, f.replace(/\.ts$/, '.mjs'))),
  ];
}
