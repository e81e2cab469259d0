// The floor plan, checked by `pnpm lint` (README "Where things are"). Data flows one way and imports point the
// other way, down the layers of apps/server/src:
//
//   app.ts, main.ts, config/, plugins/      the top: wiring, flags, HTTP routes
//   fanout/   rislive/   sources/            consumers and producers of events, side by side (never each other)
//   pipeline/                                bytes → events, applied to state
//   state/                                   routers, peers, rates
//   model/  prefix/  ws/  lib/               plain types and shared helpers, the bottom
//
// Shared code between apps lives in packages/ and is imported by package name, never by a relative path.
const SRC = '^apps/server/src/';
const layer = (name) => `${SRC}${name}/`;
const below = (...names) => names.map((n) => layer(n));

/** A layer may import only itself and the layers listed. */
function only(name, allowed, comment) {
  return {
    name: `layer-${name}`,
    comment,
    severity: 'error',
    from: { path: layer(name) },
    to: {
      path: SRC,
      pathNot: [layer(name), ...below(...allowed)],
    },
  };
}

module.exports = {
  forbidden: [
    only('model', [], 'model/ holds plain types: it imports nothing of the server.'),
    only('lib', ['model'], 'lib/ is generic helpers (errors, log limiting).'),
    only('prefix', ['model', 'lib'], 'prefix/ is prefix keys, the trie and canonical text.'),
    only('ws', ['model', 'lib', 'prefix'], 'ws/ is WebSocket plumbing both endpoints use.'),
    only(
      'state',
      ['model', 'lib', 'prefix'],
      'state/ knows events (model/), not the pipeline that makes them.',
    ),
    only(
      'pipeline',
      ['state', 'model', 'lib', 'prefix'],
      'pipeline/ applies events to state; it knows no consumer.',
    ),
    only(
      'fanout',
      ['pipeline', 'state', 'model', 'lib', 'prefix', 'ws'],
      'fanout/ (WebSocket API v1) reads the pipeline; it never reaches into rislive/ or sources/.',
    ),
    only(
      'rislive',
      ['pipeline', 'state', 'model', 'lib', 'prefix', 'ws'],
      'rislive/ (the RIS Live endpoint) reads the pipeline; shared WebSocket and prefix code comes from ws/ and prefix/, not fanout/.',
    ),
    only(
      'sources',
      ['pipeline', 'state', 'model', 'lib', 'prefix'],
      'sources/ feed the pipeline; their config types live beside them.',
    ),
    {
      name: 'no-app-from-below',
      comment: 'Only main.ts starts the app; nothing imports app.ts or main.ts but them and tests.',
      severity: 'error',
      from: { path: SRC, pathNot: `${SRC}(main|app)\\.ts$` },
      to: { path: `${SRC}(main|app)\\.ts$` },
    },
    {
      name: 'no-circular',
      comment: 'Modules that import each other cannot be read one at a time.',
      severity: 'error',
      from: { path: '^(apps|packages)/' },
      to: { circular: true },
    },
    {
      name: 'no-relative-across-apps',
      comment: 'Code shared between apps and packages is a package, imported by name (@bmpwatch/…).',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'no-test-code-in-src',
      comment: 'Shipped code never imports tests, benches or their helpers.',
      severity: 'error',
      from: { path: '^(apps|packages)/[^/]+/src/' },
      to: { path: '^(apps|packages)/[^/]+/(test|bench|dev)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/|/dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
