import { describe, expect, it } from 'vitest';
import { recordSequence, type SeqMessage } from '../../src/report/sequence.ts';
import { renderSequenceSvg } from '../../src/report/sequence-svg.ts';
import { renderMermaid } from '../../src/report/sequence-text.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { expectBadInput, mcsim } from '../cli/helpers.ts';

/**
 * `mcsim chart` marks the critical path of one sample: the messages its time was spent on, found
 * by following the causal links back from the event that ended it. For a call to a migrated user
 * with a KMS lookup, that is the message sequence of 23.280 10.16.5.3 with 33.180 D.2.7 between
 * its steps 3 and 4, hop by hop through the MC gateways.
 */
const FILE = 'scenarios/private-call-to-migrated-user.yaml';

const hops = (type: string, ...nodes: string[]): [string, string, string][] =>
  nodes.slice(1).map((to, i) => [type, nodes[i] as string, to]);

/** The flows on the set-up's path, in order. */
const SETUP_PATH = [
  // Step 1: to bob's primary ID, C to A through both gateways; step 3: the redirection back.
  ...hops('PrivateCallRequest', 'alice', 'serverC', 'gatewayC', 'gatewayA', 'serverA'),
  ...hops('PrivateCallRedirection', 'serverA', 'gatewayA', 'gatewayC', 'serverC', 'alice'),
  // D.2.7: alice's Home KMS asks B's KMS.
  ...hops('KmsLookupRequest', 'alice', 'kmsC', 'kmsB'),
  ...hops('KmsLookupResponse', 'kmsB', 'kmsC', 'alice'),
  // Step 4: to bob's partner ID at B, his answer back, and the grant that ends the set-up.
  ...hops('PrivateCallRequest', 'alice', 'serverC', 'gatewayC', 'gatewayB', 'serverB', 'bob'),
  ...hops('PrivateCallResponse', 'bob', 'serverB', 'gatewayB', 'gatewayC', 'serverC'),
  ['FloorGranted', 'serverC', 'alice'],
];

const flows = (ms: SeqMessage[]): [string, string, string][] => ms.map((m) => [m.type, m.from, m.to]);

describe('the critical path in a sequence chart', () => {
  const loaded = loadScenario(FILE);
  const seq = recordSequence(loaded, { variant: 'kms-lookup' });
  const onPath = seq.messages.filter((m) => m.onPath);

  it("marks the slowest sample's path: the set-up, message by message as the clauses have it", () => {
    expect(seq.path?.metric).toBe('private_call.setup');
    expect(flows(onPath)).toEqual(SETUP_PATH);
    // A chain: each message on it leaves no earlier than the one before it arrived.
    onPath.slice(1).forEach((m, i) => expect(m.t).toBeGreaterThanOrEqual(onPath[i]?.arrive as number));
    // Off the path: alice's copy of the response (handled before the grant, which waited for it) and the floor taken.
    expect(seq.messages.some((m) => !m.onPath && m.type === 'PrivateCallResponse' && m.to === 'alice')).toBe(true);
  });

  it("with a metric named, marks that metric's sample: the lookup alone", () => {
    const lookup = recordSequence(loaded, { variant: 'kms-lookup', path: 'kms.lookup' });
    expect(lookup.path?.metric).toBe('kms.lookup');
    expect(flows(lookup.messages.filter((m) => m.onPath))).toEqual(SETUP_PATH.slice(8, 12));
  });

  it('draws the path in the SVG (a band under each of its arrows, its interval outlined) and in Mermaid (★)', () => {
    const svg = renderSequenceSvg(seq);
    expect(svg.match(/<g class="msg path"/g)).toHaveLength(SETUP_PATH.length);
    expect(svg.match(/<line class="path-mark"/g)).toHaveLength(SETUP_PATH.length);
    expect(svg).toMatch(/<g class="interval path" data-metric="private_call\.setup"/);
    const mmd = renderMermaid(seq);
    expect(mmd.match(/->>p\d+: ★ /g)).toHaveLength(SETUP_PATH.length);
    expect(mmd).toMatch(/Note over p0,p9: private_call\.setup [\d.]+ ms \(0 to [\d.]+\), its critical path marked ★/);
  });

  it('mcsim chart --path names the metrics it could mark when the one asked for has no successful sample', () => {
    const err = expectBadInput(mcsim('chart', FILE, '--variant', 'kms-uri-in-redirection', '--path', 'kms.lookup'));
    expect(err).toMatch(
      /--path kms\.lookup: no successful sample of "kms\.lookup" in replication 0 of variant kms-uri-in-redirection; it has private_call\.redirection, private_call\.setup/,
    );
  });
});
