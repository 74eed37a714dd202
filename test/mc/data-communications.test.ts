import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZES, E2EE_SDP_EXTRA } from '../../src/mc/protocol/sizes.ts';
import { samplesOf, simulate, steps } from './harness.ts';

const A = 20;
const S = 3;
const C = 7;
/** 8 Mbit/s: one byte takes one microsecond on the wire. */
const BANDWIDTH = '8Mbps';
const FILE = 500_000;

const scenario = (call: string, opts: { bandwidth?: boolean; e2ee?: boolean; bob?: string } = {}) => `
topology:
  systems:
    A:
      access: { latency: ${A}ms${opts.bandwidth ? `, bandwidth: ${BANDWIDTH}` : ''} }
      processing:
        client: { default: ${C}ms, workers: 1, byKind: { sakke-encapsulate: 12ms, eccsi-sign: 3ms, eccsi-verify: 7ms, sakke-decapsulate: 25ms } }
        server: { default: ${S}ms, workers: 1 }
population:
  users: [{ name: alice, primary: A }, { name: bob, primary: A${opts.bob ?? ''} }]
security: { e2ee: ${opts.e2ee ?? false} }
calls: { fileSize: ${FILE}B }
timeline:
  - { at: 0ms, privateCall: { from: alice, to: bob, service: mcdata, ${call} } }
`;

const latency = (model: ReturnType<typeof simulate>['model'], metric: string): number => {
  const [s] = samplesOf(model, metric);
  expect(s?.outcome).toBe('success');
  return s ? s.end - s.start : NaN;
};

/** A request through the server to the peer and its answer back, as any one-to-one set-up. */
const SETUP = 4 * A + 2 * S + 2 * C;
const RELEASE = [
  'alice -> serverA: CommunicationReleaseRequest',
  'serverA -> bob: CommunicationReleaseRequest',
  'bob -> serverA: CommunicationReleaseResponse',
  'serverA -> alice: CommunicationReleaseResponse',
];

describe('MCData one-to-one communications with a session (23.282)', () => {
  it('SDS session (7.4.2.5): request, acceptance, an SDS and its disposition on the media plane, release (7.7.2.2.2)', () => {
    const { model, hops } = simulate(scenario('mcdata: sds-session, hangUpAfter: 5s'));
    expect(steps(hops)).toEqual([
      'alice -> serverA: SdsSessionRequest',
      'serverA -> bob: SdsSessionRequest',
      'bob -> serverA: SdsSessionResponse',
      'serverA -> alice: SdsSessionResponse',
      'alice -> serverA: MsrpSend',
      'serverA -> bob: MsrpSend',
      'bob -> serverA: MsrpSend',
      'serverA -> alice: MsrpSend',
      ...RELEASE,
    ]);
    expect(hops.filter((h) => h.type === 'MsrpSend').map((h) => h.msg)).toMatchObject([
      { content: 'sds', bytes: 200 },
      { content: 'sds', bytes: 200 },
      { content: 'disposition' },
      { content: 'disposition' },
    ]);
    expect(latency(model, 'sds_session.setup')).toBe(SETUP * 1000);
    expect(samplesOf(model, 'private_call.setup')).toEqual([]);
    expect(model.client('bob').calls.legs.size).toBe(0);
    expect(model.server('A').calls.records.size).toBe(0);
  });

  it('FD over the media plane (7.5.2.5): set-up, the file, the download completed report, then the release', () => {
    const { model, hops } = simulate(scenario('mcdata: fd-media', { bandwidth: true }));
    expect(steps(hops)).toEqual([
      'alice -> serverA: FdRequest',
      'serverA -> bob: FdRequest',
      'bob -> serverA: FdResponse',
      'serverA -> alice: FdResponse',
      'alice -> serverA: MsrpSend',
      'serverA -> bob: MsrpSend',
      'bob -> serverA: DownloadCompletedReport',
      'serverA -> alice: DownloadCompletedReport',
      ...RELEASE,
    ]);
    // Every message also takes its size on the 8 Mbit/s access links: a microsecond per byte.
    const wire = (type: keyof typeof DEFAULT_SIZES, extra = 0) => (DEFAULT_SIZES[type] + extra) / 1000;
    const setup = SETUP + 2 * wire('FdRequest') + 2 * wire('FdResponse');
    const transfer = 2 * (A + wire('MsrpSend', FILE)) + S + C;
    const report = 2 * (A + wire('DownloadCompletedReport')) + S + C;
    expect(latency(model, 'file_distribution.setup')).toBe(Math.round(setup * 1000));
    expect(latency(model, 'file_distribution.delivery')).toBe(Math.round((setup + transfer + report) * 1000));
  });

  it('FD over HTTP (7.5.2.4): upload to the content server (7.5.2.2), request with the URL, download (7.5.2.3), report', () => {
    const { model, hops } = simulate(scenario('mcdata: fd-http'));
    expect(steps(hops)).toEqual([
      'alice -> serverA: FileUploadRequest',
      'serverA -> alice: FileUploadResponse',
      'alice -> serverA: FdRequest',
      'serverA -> bob: FdRequest',
      'bob -> serverA: FdResponse',
      'bob -> serverA: FileDownloadRequest',
      'serverA -> alice: FdResponse',
      'serverA -> bob: FileDownloadResponse',
      'bob -> serverA: DownloadCompletedReport',
      'serverA -> alice: DownloadCompletedReport',
      ...RELEASE,
    ]);
    const url = (hops[1]?.msg as { url: string }).url;
    expect(url).toBe('https://content.a.mcx/files/proc-1');
    expect(hops[2]?.msg).toMatchObject({ url, fileBytes: FILE });
    expect(hops[7]?.msg).toMatchObject({ found: true, bytes: FILE });
    // The upload round trip comes first; the set-up ends at the acceptance, as every one does.
    expect(latency(model, 'file_distribution.setup')).toBe((2 * A + S + C + SETUP) * 1000);
  });

  it('IPcon point-to-point (7.14.2.2): request, acceptance, held until released', () => {
    const { model, hops } = simulate(scenario('mcdata: ipcon, hangUpAfter: 3s'));
    expect(steps(hops)).toEqual([
      'alice -> serverA: IpconRequest',
      'serverA -> bob: IpconRequest',
      'bob -> serverA: IpconResponse',
      'serverA -> alice: IpconResponse',
      ...RELEASE,
    ]);
    expect(hops[4]?.t).toBe((SETUP + 3000) * 1000);
    expect(latency(model, 'ipcon.setup')).toBe(SETUP * 1000);
  });

  it('with E2EE the request carries the I_MESSAGE and both ends do the 33.180 E.3 work', () => {
    const plain = latency(simulate(scenario('mcdata: ipcon')).model, 'ipcon.setup');
    const { model, hops } = simulate(scenario('mcdata: ipcon', { e2ee: true }));
    expect(latency(model, 'ipcon.setup') - plain).toBe((12 + 3 + 7 + 25) * 1000);
    expect(hops[0]?.msg).toMatchObject({ e2ee: true, kmsUri: 'kms.a.mcx' });
    expect(DEFAULT_SIZES.IpconRequest + E2EE_SDP_EXTRA).toBe(3030);
  });

  it('a communication towards a migrated user is redirected as a private call is (23.280 10.16.5)', () => {
    const doc = scenario('mcdata: sds-session').replace('systems:\n    A:', 'systems:\n    B: {}\n    A:');
    const { model, hops } = simulate(
      doc
        .replace('{ name: bob, primary: A }', '{ name: bob, primary: A, serving: B }')
        .replace('population:', '  interconnects: [{ between: [A, B] }]\npopulation:'),
    );
    expect(steps(hops).slice(0, 6)).toEqual([
      'alice -> serverA: SdsSessionRequest',
      'serverA -> alice: PrivateCallRedirection',
      'alice -> serverA: SdsSessionRequest',
      'serverA -> serverB: SdsSessionRequest',
      'serverB -> bob: SdsSessionRequest',
      'bob -> serverB: SdsSessionResponse',
    ]);
    expect(samplesOf(model, 'sds_session.setup').map((s) => s.outcome)).toEqual(['success']);
    expect(samplesOf(model, 'private_call.redirection')).toHaveLength(1);
  });
});

describe('refusals of an MCData set-up are answered in its own kind', () => {
  it("a callee out of reach: the server's set-up timer (A36) refuses with an FdResponse, the set-up ends timeout", () => {
    const { model, hops } = simulate(
      scenario('mcdata: fd-media').replace(
        '- { at: 0ms,',
        '- { at: 0ms, accessLinkDown: { user: bob } }\n  - { at: 0ms,',
      ),
    );
    expect(hops.find((h) => h.type === 'FdResponse')?.msg).toMatchObject({ result: 'rejected', reason: 'timeout' });
    expect(samplesOf(model, 'file_distribution.setup').map((s) => s.outcome)).toEqual(['timeout']);
  });
});
