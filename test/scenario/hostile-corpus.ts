import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';

/** A hostile input: a file name (its extension picks the parser) and its bytes. */
export interface Hostile {
  name: string;
  bytes: Buffer;
}

const text = (name: string, s: string): Hostile => ({ name, bytes: Buffer.from(s, 'utf8') });
const valid = readFileSync(new URL('../../scenarios/private-call-to-migrated-user.yaml', import.meta.url), 'utf8');
const validDoc = YAML.parse(valid) as Record<string, unknown>;

const deep = (n: number, open: string, close: string, inner = '1'): string => open.repeat(n) + inner + close.repeat(n);

/** Hand-written: the classic ways data files attack or confuse a loader. */
export function handWritten(): Hostile[] {
  const big = 'x'.repeat(1_000_000);
  return [
    text('empty.yaml', ''),
    text('comment-only.yaml', '# nothing here\n'),
    text('null.yaml', 'null\n'),
    text('scalar.yaml', '42\n'),
    text('string.yaml', 'hello\n'),
    text('list.yaml', '- a\n- b\n'),
    text('empty.json', ''),
    text('list.json', '[1, 2, 3]'),
    text('trailing-comma.json', '{"topology": {"systems": {"A": {}},},}'),
    text('comments.json', '// a comment\n{"topology": {}}'),
    text('nan.json', '{"experiment": {"runs": NaN}}'),
    text('unterminated.json', '{"topology": {"systems": '),
    text('deep-list.yaml', deep(100_000, '[', ']')),
    text('deep-map.yaml', deep(100_000, '{a: ', '}')),
    text('deep-list.json', deep(100_000, '[', ']')),
    text('deep-map.json', deep(50_000, '{"a":', '}')),
    text('deep-block.yaml', Array.from({ length: 5000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1\n'),
    text('huge-number.yaml', valid.replace('runs: 500', 'runs: 1e400')),
    text('huge-int.json', `${JSON.stringify(validDoc).slice(0, -1)}, "experiment": {"runs": 12345678901234567890123}}`),
    text('negative-runs.yaml', valid.replace('runs: 500', 'runs: -5')),
    text('float-runs.yaml', valid.replace('runs: 500', 'runs: 2.5')),
    text('inf-runs.yaml', valid.replace('runs: 500', 'runs: .inf')),
    text('nan-runs.yaml', valid.replace('runs: 500', 'runs: .nan')),
    text('proto-top.yaml', `__proto__: { polluted: true }\n${valid}`),
    text('proto-top.json', `{"__proto__": {"polluted": true}, ${JSON.stringify(validDoc).slice(1)}`),
    text('proto-nested.yaml', valid.replace('security:', 'security:\n  __proto__: { polluted: true }')),
    text('constructor.yaml', `constructor: { prototype: { polluted: true } }\n${valid}`),
    text(
      'proto-in-set.yaml',
      valid.replace('set: { security.kmsUriInRedirection: false }', 'set: { __proto__.polluted: true }'),
    ),
    text(
      'constructor-in-set.yaml',
      valid.replace('set: { security.kmsUriInRedirection: false }', 'set: { constructor.prototype.polluted: true }'),
    ),
    text(
      'billion-laughs.yaml',
      [
        'a: &a ["x","x","x","x","x","x","x","x","x"]',
        ...Array.from(
          { length: 9 },
          (_, i) =>
            `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
        ),
      ].join('\n'),
    ),
    text('alias-cycle.yaml', 'a: &a [*a]\n'),
    text('undefined-alias.yaml', 'topology: *nothing\n'),
    text('js-function-tag.yaml', 'topology: !!js/function "function () { process.exit(3) }"\n'),
    text('python-tag.yaml', 'topology: !!python/object/apply:os.system ["touch /tmp/pwned"]\n'),
    text('custom-tag.yaml', 'topology: !include /etc/passwd\n'),
    text('binary-tag.yaml', 'topology: !!binary R0lGODlhDAAMAIQAAP//9/X\n'),
    text(
      'merge-key.yaml',
      'base: &b { systems: { A: {} } }\ntopology: { <<: *b }\npopulation: { users: [{ name: a, primary: A }] }\n',
    ),
    text('duplicate-key.yaml', `${valid}\ntopology: {}\n`),
    text('tabs.yaml', 'topology:\n\tsystems: {}\n'),
    text('bad-indent.yaml', 'topology:\n  systems:\n A: {}\n'),
    text('include-ref.yaml', `$ref: /etc/passwd\n${valid}`),
    text(
      'file-url.yaml',
      valid.replace('name: private-call-to-migrated-user', 'name: private-call\nimport: file:///etc/passwd'),
    ),
    text('long-string.yaml', valid.replace('name: private-call-to-migrated-user', `name: ${big}\nnope: 1`)),
    text('long-key.yaml', `${big}: 1\n`),
    text('nul-byte.yaml', `topology: "a\u0000b"\n`),
    text('bom-garbage.yaml', `\uFEFF\uFEFF${valid}\n\u0000`),
    text('wrong-top-types.yaml', 'topology: []\npopulation: "everyone"\ntimeline: {}\n'),
    text('systems-number.yaml', valid.replace(/systems:\n( {4}.*\n)+/, 'systems: 3\n')),
    text('duration-number.yaml', valid.replace('latency: { uniform: [10ms, 14ms] }', 'latency: 12')),
    text('duration-negative.yaml', valid.replace('latency: { uniform: [10ms, 14ms] }', 'latency: -12ms')),
    text('duration-unit.yaml', valid.replace('latency: { uniform: [10ms, 14ms] }', 'latency: 12 parsecs')),
    text(
      'duration-huge.yaml',
      valid.replace('latency: { uniform: [10ms, 14ms] }', 'latency: 99999999999999999999999h'),
    ),
    text('uniform-reversed.yaml', valid.replace('uniform: [10ms, 14ms]', 'uniform: [14ms, 10ms]')),
    text('unknown-system.yaml', valid.replace('primary: C,', 'primary: Q,')),
    text(
      'unknown-user-in-call.yaml',
      valid.replace('privateCall: { from: alice, to: bob }', 'privateCall: { from: alice, to: mallory }'),
    ),
    text(
      'unknown-variant-compare.yaml',
      valid.replace('- { a: kms-uri-in-redirection, b: kms-lookup }', '- { a: kms-uri-in-redirection, b: nope }'),
    ),
    text(
      'bad-set-path.yaml',
      valid.replace('set: { security.kmsUriInRedirection: false }', 'set: { security..kms: false }'),
    ),
    text(
      'set-wrong-type.yaml',
      valid.replace('set: { security.kmsUriInRedirection: false }', 'set: { security.kmsUriInRedirection: "perhaps" }'),
    ),
    text('runs-too-many.yaml', valid.replace('runs: 500', 'runs: 1000000000')),
    text('kpi-unknown-metric.yaml', valid.replace('metric: private_call.setup', 'metric: coffee.temperature')),
    text('users-not-list.yaml', valid.replace(/users:\n( {4}.*\n)+/, 'users: { alice: A }\n')),
    text('reserved-user.yaml', valid.replace('name: alice', 'name: serverA')),
    text(
      'loss-above-one.yaml',
      valid.replace(
        'interconnect: { latency: { uniform: [10ms, 14ms] } }',
        'interconnect: { latency: 10ms, loss: 1.5 }',
      ),
    ),
    text(
      'bandwidth-bad.yaml',
      valid.replace(
        'interconnect: { latency: { uniform: [10ms, 14ms] } }',
        'interconnect: { latency: 10ms, bandwidth: fast }',
      ),
    ),
    text(
      'workers-zero.yaml',
      valid.replace('kms: { default: { uniform: [4ms, 6ms] } }', 'kms: { default: 4ms, workers: 0 }'),
    ),
    text('empirical-empty.yaml', valid.replace('latency: { uniform: [10ms, 14ms] }', 'latency: { empirical: [] }')),
    text(
      'two-faults.yaml',
      `${valid}\n`.replace(
        'timeline:\n',
        'timeline:\n  - { at: 1s, fault: { for: 1s, crash: { node: serverA }, mute: { node: kmsA } } }\n',
      ),
    ),
    text(
      'crash-user.yaml',
      `${valid}\n`.replace('timeline:\n', 'timeline:\n  - { at: 1s, fault: { for: 1s, crash: { node: alice } } }\n'),
    ),
    { name: 'garbage.bin.yaml', bytes: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)) },
    {
      name: 'invalid-utf8.yaml',
      bytes: Buffer.from([0x74, 0x6f, 0x70, 0x3a, 0x20, 0xc3, 0x28, 0xa0, 0xa1, 0x0a, 0xff, 0xfe]),
    },
    { name: 'utf16.json', bytes: Buffer.from(`\uFEFF${JSON.stringify(validDoc)}`, 'utf16le') },
    { name: 'ten-megabytes.yaml', bytes: Buffer.alloc(10 * 1024 * 1024, 'a: 1\n') },
  ];
}

/** Objects of a document, with their paths, to mutate. */
function objects(
  node: unknown,
  path: (string | number)[] = [],
  out: { path: (string | number)[]; obj: Record<string, unknown> }[] = [],
) {
  if (Array.isArray(node)) node.forEach((n, i) => objects(n, [...path, i], out));
  else if (node !== null && typeof node === 'object') {
    out.push({ path, obj: node as Record<string, unknown> });
    for (const [k, v] of Object.entries(node)) objects(v, [...path, k], out);
  }
  return out;
}

/** Generated: seeded mutations of a valid scenario that each break it for certain. */
export function generated(count: number): Hostile[] {
  const targets = objects(validDoc).length;
  const mutation = fc.record({
    kind: fc.constantFrom('unknown-key', 'truncate', 'garbage', 'deep', 'proto'),
    at: fc.nat(targets - 1),
    cut: fc.nat(valid.length - 1),
    depth: fc.integer({ min: 200, max: 20_000 }),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((a) => Buffer.from(a.map((b) => b % 9))),
  });
  return fc.sample(mutation, { numRuns: count, seed: 4242 }).map((m, i) => {
    const doc = structuredClone(validDoc);
    const target = objects(doc)[m.at] as { obj: Record<string, unknown> };
    switch (m.kind) {
      case 'unknown-key':
        // Every object of the schema is strict, and -1 is no valid record value either.
        target.obj[`fuzz_${i}`] = -1;
        return text(`gen-${i}-unknown-key.json`, JSON.stringify(doc));
      case 'proto':
        return text(`gen-${i}-proto.yaml`, YAML.stringify(doc).replace(/^/, `__proto__: { polluted${i}: true }\n`));
      case 'truncate':
        return text(`gen-${i}-truncated.yaml`, `${valid.slice(0, m.cut)}\n  unclosed: [`);
      case 'garbage':
        return { name: `gen-${i}-garbage.yaml`, bytes: Buffer.concat([m.bytes, Buffer.from(valid)]) };
      default:
        return text(
          `gen-${i}-deep.yaml`,
          `${YAML.stringify(doc, { aliasDuplicateObjects: false }).slice(0, 200)}\nnested: ${deep(m.depth, '[', ']')}\n`,
        );
    }
  });
}
