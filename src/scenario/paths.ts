import { formatPath, isIdSegment, ScenarioError, type PathSegment } from './errors.ts';

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * `topology.links[2].latency` -> ['topology', 'links', 2, 'latency'], and `timeline[#crash-b].at`
 * -> ['timeline', '#crash-b', 'at'] (the item whose id is crash-b); undefined when malformed.
 */
export function parsePath(text: string): PathSegment[] | undefined {
  const out: PathSegment[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\[(#[A-Za-z][\w-]*)\]/gy;
  let pos = 0;
  while (pos < text.length) {
    if (out.length > 0 && text[pos] === '.') pos++;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (m === null) return undefined;
    out.push(m[2] !== undefined ? Number(m[2]) : m[3] !== undefined ? m[3] : (m[1] as string));
    pos = re.lastIndex;
  }
  return out.length > 0 && out.every((s) => !FORBIDDEN.has(String(s))) ? out : undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Returns a copy of `document` with each `path -> value` set. Missing objects on the way are
 * created (the schema then judges the result); a path through a non-object is refused here.
 */
export function applyOverrides(
  file: string,
  document: unknown,
  overrides: Record<string, unknown>,
  where: PathSegment[],
): unknown {
  const entries = Object.entries(overrides);
  if (entries.length === 0) return document;
  const root = structuredClone(document) as unknown;
  for (const [text, value] of entries) {
    const path = parsePath(text);
    const fail = (message: string): never => {
      throw new ScenarioError(file, [{ path: [...where, text], message }]);
    };
    if (path === undefined)
      fail(
        `expected a path such as "topology.systems.A.hiding" or "topology.interconnects[0].latency", found "${text}"`,
      );
    let node: unknown = root;
    // An item named by its id stands for its index from here on.
    const segs = (path as PathSegment[]).map((seg, i, all) => {
      if (!isIdSegment(seg)) return seg;
      let list: unknown = root;
      for (const s of all.slice(0, i)) list = (list as Record<string | number, unknown> | undefined)?.[s];
      const index = Array.isArray(list) ? list.findIndex((x) => isRecord(x) && `#${String(x.id)}` === seg) : -1;
      if (index < 0)
        fail(
          `${formatPath(all.slice(0, i + 1))} does not exist: no item of ${formatPath(all.slice(0, i))} has id "${seg.slice(1)}"`,
        );
      return index;
    });
    for (let i = 0; i < segs.length - 1; i++) {
      const seg = segs[i] as PathSegment;
      if (typeof seg === 'number') {
        if (!Array.isArray(node) || seg >= node.length) fail(`${formatPath(segs.slice(0, i + 1))} does not exist`);
        node = (node as unknown[])[seg];
      } else {
        if (!isRecord(node)) fail(`${formatPath(segs.slice(0, i))} is not an object`);
        const rec = node as Record<string, unknown>;
        if (rec[seg] === undefined) rec[seg] = {};
        node = rec[seg];
      }
    }
    const last = segs[segs.length - 1] as PathSegment;
    if (typeof last === 'number') {
      if (!Array.isArray(node) || last >= node.length) fail(`${formatPath(segs)} does not exist`);
      (node as unknown[])[last] = value;
    } else {
      if (!isRecord(node)) fail(`${formatPath(segs.slice(0, -1))} is not an object`);
      (node as Record<string, unknown>)[last] = value;
    }
  }
  return root;
}
