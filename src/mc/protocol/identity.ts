import type { SystemId } from '../config.ts';
/**
 * MC service IDs are SIP URIs whose domain names the MC system (docs/domain.md section 2: gateways
 * route on the domain part). A partner-issued ID lives in the partner's domain.
 */
export type McId = string;

export const serviceDomain = (system: SystemId): string => `${system.toLowerCase()}.mcx`;

// A user's IDs are kept for the whole run, one or two per user. A template literal
// of 13+ characters makes a rope of strings (a cons string, 32 bytes, over its parts), which
// V8 flattens into one more string the first time it is a Map key; join makes the flat string
// (32 bytes for `sip:a12345@a.mcx`) at once.

export const primaryIdOf = (user: string, system: SystemId): McId =>
  ['sip:', user, '@', serviceDomain(system)].join('');

/** The ID a partner IdMS issues at authentication (10.6.3.2.3 NOTE 1). */
export const partnerIdOf = (user: string, partner: SystemId): McId =>
  ['sip:', user, '.visitor@', serviceDomain(partner)].join('');

/** The ID a user has in `system`: its own in its primary system, else the partner ID issued there. */
export const idIn = (user: string, primary: SystemId, system: SystemId): McId =>
  system === primary ? primaryIdOf(user, system) : partnerIdOf(user, system);

/** PSI of a system's MC service server, used as the target of server-to-server flows. */
export const serverPsi = (system: SystemId): McId => `sip:mc-server@${serviceDomain(system)}`;

/** A group's ID lives in the domain of the system whose GMS defines it. */
export const groupIdOf = (group: string, home: SystemId): McId => `sip:${group}@${serviceDomain(home)}`;

/**
 * `prefix + system`, made once per system and then shared: addresses and KMS URIs are asked
 * for on every send (a client's server, a server's next hop), and a new string each time is
 * garbage to collect and a hash to compute again at every table lookup.
 */
function perSystem(make: (s: SystemId) => string): (s: SystemId) => string {
  const made = new Map<SystemId, string>();
  return (s) => {
    let text = made.get(s);
    if (text === undefined) made.set(s, (text = make(s)));
    return text;
  };
}

export const kmsUriOf = perSystem((system) => `kms.${serviceDomain(system)}`);

export function domainOf(id: McId): string {
  const at = id.lastIndexOf('@');
  return at < 0 ? '' : id.slice(at + 1);
}

/** TS 33.180 D.2.7: the target URI is %-escaped into the request path. */
export const kmsLookupPath = (target: McId): string =>
  `/keymanagement/identity/v1/lookup/${encodeURIComponent(target.replace(/^sip:/, ''))}`;

/**
 * The content reference of a file uploaded to a system's MCData content server (23.282 7.5.2.1.2),
 * which mcsim folds into the MC service server (assumption A48 in docs/domain.md).
 */
export const contentUrlOf = (system: SystemId, file: string): string =>
  `https://content.${serviceDomain(system)}/files/${file}`;

/** The system whose content server a content reference names. */
export function systemOfContentUrl(url: string): SystemId | undefined {
  const m = /^https:\/\/content\.([a-z0-9]+)\.mcx\//.exec(url);
  return m?.[1]?.toUpperCase();
}

/** Node addresses of a system's functional entities. */
export const addr = {
  server: perSystem((s) => `server${s}`),
  gateway: perSystem((s) => `gateway${s}`),
  idms: perSystem((s) => `idms${s}`),
  cms: perSystem((s) => `cms${s}`),
  kms: perSystem((s) => `kms${s}`),
} as const;

/** The user name inside a partner-issued ID, or undefined for any other ID. */
export function userOfPartnerId(id: McId): string | undefined {
  const m = /^sip:(.+)\.visitor@/.exec(id);
  return m?.[1];
}

/** The user name inside a primary MC service ID. */
export function userOfId(id: McId): string | undefined {
  const m = /^sip:([^@]+)@/.exec(id);
  return m === null ? undefined : (userOfPartnerId(id) ?? m[1]);
}
