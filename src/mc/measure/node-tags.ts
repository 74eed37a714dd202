import { ROLES, type Role } from '../config.ts';

/**
 * A node's role and system as one number (Node.tag), read when an interval is explained: the
 * role's place in ROLES in the low three bits, the system's place in the config above them.
 */
export const nodeTag = (role: Role, system: number): number => ROLES.indexOf(role) | (system << 3);

export const roleOfTag = (tag: number): number => tag & 7;

export const systemOfTag = (tag: number): number => tag >> 3;
