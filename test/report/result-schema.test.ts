import { readdirSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/api/run.ts';
import { RESULT_SCHEMA_VERSION, type RunResult } from '../../src/experiment/result.ts';
import { resultJsonSchema } from '../../src/report/result-schema.ts';
import { mcsim } from '../cli/helpers.ts';

// Every scenario shipped in the repository: scenarios/ and the studies in examples/ (which bring
// sweeps, so points, sweeps and kpi_crossings are validated too).
const yamlIn = (dir: string): string[] =>
  readdirSync(new URL(`../../${dir}/`, import.meta.url))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => `${dir}/${f}`);
const examples = readdirSync(new URL('../../examples/', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => yamlIn(`examples/${d.name}`));
const files = [...yamlIn('scenarios'), ...examples];

// The printed schema, read by a JSON Schema validator of its own: what a consumer's tooling sees.
const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(
  resultJsonSchema() as object,
);
const problems = (doc: unknown): string[] =>
  validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);

describe('the result JSON Schema', () => {
  it('`mcsim schema --result` prints it', () => {
    const r = mcsim('schema', '--result');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(resultJsonSchema());
    expect(JSON.parse(r.stdout)).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema' });
  });

  it('sees a broken document: a missing schemaVersion, an unknown field, a percentile as a string', () => {
    const doc = {
      mcsim: '0.0.0',
      schemaVersion: RESULT_SCHEMA_VERSION,
      scenario: { name: 's', file: 's.yaml' },
      seed: 1,
      runs: 1,
      complete: true,
      stopped: null,
      replications: { planned: 0, completed: 0, cut: 0 },
      variants: [],
      comparisons: [],
    };
    expect(problems(doc)).toEqual([]);
    const { schemaVersion, ...unversioned } = doc;
    void schemaVersion;
    expect(problems(unversioned)).toEqual([" must have required property 'schemaVersion'"]);
    expect(problems({ ...doc, extra: 1 })).toEqual([' must NOT have additional properties']);
    expect(problems({ ...doc, schemaVersion: RESULT_SCHEMA_VERSION + 1 })).toEqual([
      '/schemaVersion must be equal to constant',
    ]);
    const m = { unit: 'ms', n: 1, mean: 1, sd: 0, min: 1, p50: 1, p90: 1, p95: '1', p99: 1, max: 1, ci95: null };
    const variant = {
      name: 'v',
      params: {},
      replications: { completed: 1, cut: 0 },
      metrics: { x: { ...m, quantiles: Array(101).fill(1), breakdown: {}, steps: {} } },
      outcomes: {},
    };
    const counters = { events: 1, messages: 0, bytes: 0, lost: 0, retransmissions: 0 };
    expect(problems({ ...doc, variants: [{ ...variant, kpis: [], standard_kpis: [], counters }] })).toEqual([
      '/variants/0/metrics/x/p95 must be number',
    ]);
  });

  it.each(files)('holds for the result of %s (2 runs, through the library API)', async (file) => {
    const result: RunResult = await runScenario(file, { runs: 2 });
    expect(result.runs).toBe(2);
    expect(problems(JSON.parse(JSON.stringify(result)))).toEqual([]);
  });
});
