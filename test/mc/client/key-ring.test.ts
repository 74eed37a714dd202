import { describe, expect, it } from 'vitest';
import { constantDefaults, simulate, steps } from '../harness.ts';

// alice and carol share home system C; C's clients start with the certificates of C's and A's
// KMSs only, so a call to bob (migrated to B) needs B's KMS certificate.
const scenario = `
topology:
${constantDefaults({ access: 20, inter: 15, client: 7, server: 3 })}
  systems: { A: {}, B: {}, C: {} }
  interconnects: [{ between: [A, B] }, { between: [A, C] }, { between: [B, C] }]
population:
  users:
    - { name: alice, primary: C }
    - { name: carol, primary: C }
    - { name: bob, primary: A, serving: B }
security: { e2ee: true, kmsUriInRedirection: true, cachedCertificates: [A, C] }
timeline:
  - { at: 0ms, privateCall: { from: alice, to: bob, hangUpAfter: 1s } }
  - { at: 2s, privateCall: { from: alice, to: bob, hangUpAfter: 1s } }
  - { at: 4s, privateCall: { from: carol, to: bob, hangUpAfter: 1s } }
`;

describe('key ring: certificates a client holds (33.180 5.3)', () => {
  it('a fetched certificate is held by the client that fetched it, not by others of its home system', () => {
    const { model, hops } = simulate(scenario);
    const certRequests = steps(hops).filter((s) => s.endsWith('KmsCertRequest'));
    // alice fetches B's certificate once and keeps it for her second call; carol, starting from
    // the same initial certificates, fetches it for herself.
    expect(certRequests).toEqual(['alice -> kmsC: KmsCertRequest', 'carol -> kmsC: KmsCertRequest']);
    const held = (name: string): string[] => [...(model.clients.get(name)?.keys.certificates ?? [])].sort();
    expect(held('alice')).toEqual(['kms.a.mcx', 'kms.b.mcx', 'kms.c.mcx']);
    expect(held('carol')).toEqual(['kms.a.mcx', 'kms.b.mcx', 'kms.c.mcx']);
  });
});
