import { ROLES, type Role } from '../mc/config.ts';
import type { LinkInput, ProcessingInput, ProfileName, RrcInput } from './format/scenario.ts';

/**
 * Reference profiles: access, core and interconnect links, radio state and processing set at once
 * (`profile:` at a scenario's top level). A scenario's own values override a profile's, key by key.
 * Where each number comes from, with its conditions, is the profile table of docs/profiles.md;
 * `generic` holds the values mcsim used before profiles and is what a scenario without one gets.
 */
export interface Profile {
  access?: LinkInput;
  core?: LinkInput;
  interconnect?: LinkInput;
  rrc?: RrcInput;
  processing?: Partial<Record<Role, ProcessingInput>>;
}

/** LTE radio state: Huang et al. 2012 measured tail and paging cycle, TR 25.913 and the measured promotion for set-up. */
const LTE_RRC = {
  inactivity: '11.6s',
  pagingCycle: '1.28s',
  setup: { uniform: ['100ms', '260ms'] },
} as const satisfies RrcInput;

/** A password login costs Keycloak's sizing guide one vCPU for 1/15 s; an IdMS of 8 vCPUs. */
const KEYCLOAK_IDMS: ProcessingInput = { default: '67ms', workers: 8 };

/** A geostationary hop each way between the cell site and the core: 2 x 35,786 km to 2 x 40,586 km at c. */
const GEO_HOP_MS = [239, 271] as const;

/** ns-3 applications act at once: no role spends time on a message or a cryptographic task. */
const NO_PROCESSING: ProcessingInput = {
  default: '0ms',
  byKind: { 'sakke-encapsulate': '0ms', 'eccsi-sign': '0ms', 'eccsi-verify': '0ms', 'sakke-decapsulate': '0ms' },
};

export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  generic: {},
  'lte-public-safety': {
    access: { latency: { uniform: ['15ms', '35ms'] } },
    rrc: LTE_RRC,
    processing: { idms: KEYCLOAK_IDMS },
  },
  '5g-sa': {
    access: { latency: '14ms' },
    rrc: { inactivity: '11.6s', pagingCycle: '1.28s', setup: '20ms', resume: '10ms' },
    processing: { idms: KEYCLOAK_IDMS },
  },
  '5g-urllc': {
    access: { latency: '11ms' },
    rrc: { inactivity: '11.6s', pagingCycle: '0.32s', setup: '10ms', resume: '10ms' },
    processing: { idms: KEYCLOAK_IDMS },
  },
  'satellite-backhaul': {
    access: { latency: { uniform: [`${15 + GEO_HOP_MS[0]}ms`, `${35 + GEO_HOP_MS[1]}ms`] } },
    rrc: LTE_RRC,
    processing: { idms: KEYCLOAK_IDMS },
  },
  lab: {
    access: { latency: '38ms' },
    processing: Object.fromEntries(ROLES.map((r) => [r, NO_PROCESSING])),
  },
};

/** Fields of `rrc` a scenario leaves out: the LTE values. */
export const RRC_BASE = LTE_RRC;
