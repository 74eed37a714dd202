import { describe, expect, it } from 'vitest';
import { constantDefaults, THREE_SYSTEMS, samplesOf, simulate, steps } from './harness.ts';

const L = { access: 20, inter: 15 };
const P = { client: 7, server: 3, idms: 100, cms: 30 };

/** alice starts an MCData communication with bob (primary B) and migrates at `at`; every delay constant. */
const scenario = (alice: string, migrateTo: string, mcdata: string, at: string) => `
topology:
${constantDefaults({ access: L.access, inter: L.inter, client: P.client, server: P.server })}
${THREE_SYSTEMS}
population:
  users:
    - { name: alice, ${alice} }
    - { name: bob, primary: B }
timeline:
  - { at: 0ms, privateCall: { from: alice, to: bob, service: mcdata, mcdata: ${mcdata} } }
  - { at: ${at}, migrate: { user: alice, to: ${migrateTo} } }
`;

const TO_PARTNER = { alice: 'primary: A', to: 'C', old: 'serverA', now: 'serverC' };
const TO_PRIMARY = { alice: 'primary: A, serving: C', to: 'A', old: 'serverC', now: 'serverA' };

/**
 * When alice leaves: an SDS session and an IPcon session are up by 2 s; a file distribution over
 * the media plane is accepted at 136 ms and its file is on its way to bob at 150 ms; over HTTP it
 * is accepted at 186 ms, while bob's download completes.
 */
const WHEN: Record<string, [string, number]> = {
  'sds-session': ['2s', 2_000_000],
  ipcon: ['2s', 2_000_000],
  'fd-media': ['150ms', 150_000],
  'fd-http': ['190ms', 190_000],
};

const REQUEST: Record<string, string> = {
  'sds-session': 'SdsSessionRequest',
  ipcon: 'IpconRequest',
  'fd-media': 'FdRequest',
  'fd-http': 'FdRequest',
};

function run(mcdata: string, target: typeof TO_PARTNER) {
  const [at, t] = WHEN[mcdata] as [string, number];
  const { model, hops } = simulate(scenario(target.alice, target.to, mcdata, at));
  return { model, hops, after: steps(hops.filter((h) => h.t >= t)) };
}

/** Step 3 of 10.16.4 for a communication with nothing in flight: the release along the dialog. */
const release = (old: string) => [
  `alice -> ${old}: MigrationIntentNotification`, // step 2
  `alice -> ${old}: CommunicationReleaseRequest`, // step 3: 23.282 7.7.2.2.2, release due to migration
  `${old} -> serverB: CommunicationReleaseRequest`,
  'serverB -> bob: CommunicationReleaseRequest',
  'bob -> serverB: CommunicationReleaseResponse',
  `serverB -> ${old}: CommunicationReleaseResponse`,
  `${old} -> alice: CommunicationReleaseResponse`,
  `alice -> ${old}: SipRegister`, // leaving the old system
];

/** Step 6: the same communication again, from the new system. */
const again = (request: string, now: string) => [
  `alice -> ${now}: ${request}`,
  `${now} -> serverB: ${request}`,
  `serverB -> bob: ${request}`,
  `bob -> serverB: ${request.replace('Request', 'Response')}`,
  `serverB -> ${now}: ${request.replace('Request', 'Response')}`,
  `${now} -> alice: ${request.replace('Request', 'Response')}`,
];

describe('migration during an MCData communication (23.280 10.16.4, 23.282 7.7.2.2)', () => {
  describe.each([
    ['to a partner', TO_PARTNER],
    ['to the primary', TO_PRIMARY],
  ])('%s', (_, target) => {
    it.each(['sds-session', 'ipcon'])('%s: released with the reason, migration, the session set up again', (mcdata) => {
      const { after, hops, model } = run(mcdata, target);
      expect(after.slice(0, 8)).toEqual(release(target.old));
      const request = REQUEST[mcdata] as string;
      const reestablished = after.filter(
        (s) => s.includes(request) || s.includes(request.replace('Request', 'Response')),
      );
      expect(reestablished).toEqual(again(request, target.now));
      expect(hops.find((h) => h.type === 'CommunicationReleaseRequest')?.msg).toMatchObject({
        reason: 'release due to migration',
      });
      expect(Object.fromEntries(model.client('bob').releaseReasons)).toEqual({ 'release due to migration': 1 });
      expect(
        model
          .client('alice')
          .calls.connectedLegs()
          .map((l) => [l.peer, l.data]),
      ).toEqual([['sip:bob@b.mcx', mcdata]]);
    });

    it('fd-media: released with its file in flight, then the file distributed again from the new system', () => {
      const { after, model } = run('fd-media', target);
      const { old, now } = target;
      expect(after.slice(0, 15)).toEqual([
        `alice -> ${old}: MigrationIntentNotification`,
        `alice -> ${old}: CommunicationReleaseRequest`,
        `${old} -> serverB: MsrpSend`, // the file, sent at the acceptance, ahead of the release
        `${old} -> serverB: CommunicationReleaseRequest`,
        'serverB -> bob: MsrpSend',
        'serverB -> bob: CommunicationReleaseRequest',
        'bob -> serverB: DownloadCompletedReport',
        'bob -> serverB: CommunicationReleaseResponse',
        `serverB -> ${old}: DownloadCompletedReport`,
        `serverB -> ${old}: CommunicationReleaseResponse`,
        `${old} -> alice: DownloadCompletedReport`, // comes too late: alice is releasing
        `${old} -> alice: CommunicationReleaseResponse`,
        `alice -> ${old}: SipRegister`,
        `alice -> idms${target.to}: AuthenticationRequest`,
        `${old} -> alice: SipRegisterOk`,
      ]);
      // Back home, the de-authorization at the old partner runs alongside (A10): left out here.
      expect(after.filter((s) => !s.includes('Deauthorization')).slice(-18)).toEqual([
        ...again('FdRequest', now),
        `alice -> ${now}: MsrpSend`,
        `${now} -> serverB: MsrpSend`,
        'serverB -> bob: MsrpSend',
        'bob -> serverB: DownloadCompletedReport',
        `serverB -> ${now}: DownloadCompletedReport`,
        `${now} -> alice: DownloadCompletedReport`,
        `alice -> ${now}: CommunicationReleaseRequest`,
        `${now} -> serverB: CommunicationReleaseRequest`,
        'serverB -> bob: CommunicationReleaseRequest',
        'bob -> serverB: CommunicationReleaseResponse',
        `serverB -> ${now}: CommunicationReleaseResponse`,
        `${now} -> alice: CommunicationReleaseResponse`,
      ]);
      // The first distribution was released before its report reached alice: one delivery, the second.
      expect(samplesOf(model, 'file_distribution.delivery')).toHaveLength(1);
    });
  });

  it("fd-http: the new distribution begins with an upload to the new system's content server", () => {
    const { after, hops } = run('fd-http', TO_PARTNER);
    const upload = after.indexOf('alice -> serverC: FileUploadRequest');
    expect(after.slice(upload, upload + 4)).toEqual([
      'alice -> serverC: FileUploadRequest',
      'serverC -> alice: FileUploadResponse',
      'alice -> serverC: FdRequest',
      'serverC -> serverB: FdRequest',
    ]);
    expect(after).toContain('bob -> serverC: FileDownloadRequest');
    const urls = hops
      .filter((h) => h.type === 'FdRequest' && h.from === 'alice')
      .map((h) => (h.msg as { url: string }).url);
    expect(urls).toEqual(['https://content.a.mcx/files/proc-1', expect.stringMatching(/^https:\/\/content\.c\.mcx\//)]);
  });

  it('a file the migrating UE was receiving is released, not requested again (A50)', () => {
    const doc = scenario('primary: A', 'C', 'fd-media', '150ms').replace(
      'privateCall: { from: alice, to: bob,',
      'privateCall: { from: bob, to: alice,',
    );
    const { model, hops } = simulate(doc);
    expect(hops.find((h) => h.type === 'CommunicationReleaseRequest')).toMatchObject({
      from: 'alice',
      msg: { reason: 'release due to migration' },
    });
    expect(hops.filter((h) => h.type === 'FdRequest' && h.from === 'alice')).toEqual([]);
    expect(samplesOf(model, 'migration.interruption')).toEqual([]);
    expect(model.client('alice').calls.connectedLegs()).toEqual([]);
    expect(model.client('bob').calls.connectedLegs()).toEqual([]);
  });

  describe('migration.interruption under constant delays: the sum of the path', () => {
    const release = 4 * L.access + 2 * L.inter + 4 * P.server + 2 * P.client + P.server; // the intent holds the old server once
    const auth = 2 * L.access + P.idms + P.client;
    const setup = 4 * L.access + 2 * L.inter + 4 * P.server + 2 * P.client; // no floor grant in MCData
    const upload = 2 * L.access + P.server + P.client;
    const partner =
      release +
      auth +
      (2 * L.access + 2 * L.inter + 3 * P.cms + P.client) + // profile, 10.1.4.3.2
      (4 * L.access + 2 * L.inter + 4 * P.server + 2 * P.client) + // registration, 10.1.6.2
      (2 * L.access + 2 * L.inter + 3 * P.server + P.client); // authorization, 10.6.3.3.1
    const primary =
      release +
      auth +
      (2 * L.access + P.cms + P.client) + // profile, 10.1.4.3.1
      2 * (2 * L.access + P.server + P.client); // registration and service authorization, 10.6.1

    it.each([
      ['sds-session', TO_PARTNER, partner + setup],
      ['ipcon', TO_PARTNER, partner + setup],
      ['fd-media', TO_PARTNER, partner + setup],
      ['fd-http', TO_PARTNER, partner + upload + setup],
      ['sds-session', TO_PRIMARY, primary + setup],
      ['ipcon', TO_PRIMARY, primary + setup],
      ['fd-media', TO_PRIMARY, primary + setup],
      ['fd-http', TO_PRIMARY, primary + upload + setup],
    ])('%s %o: %d ms', (mcdata, target, ms) => {
      const { model } = run(mcdata, target);
      const [i] = samplesOf(model, 'migration.interruption');
      expect(i?.outcome).toBe('success');
      expect(i ? i.end - i.start : NaN).toBe(ms * 1000);
    });
  });
});
