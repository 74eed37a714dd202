import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');

function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory())
      return ['node_modules', '.git', 'dist'].includes(name) ? [] : filesUnder(path, pattern);
    return pattern.test(name) ? [path] : [];
  });
}

const sources = filesUnder(SRC, /\.ts$/);

/** Each source file's imports of other source files, type imports and re-exports included. */
const imports = new Map(
  sources.map((file) => {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/g)].map((m) =>
      resolve(dirname(file), m[1] as string),
    );
    return [file, targets.filter((t) => sources.includes(t))];
  }),
);

/** Strongly connected components of more than one file (Tarjan). */
function cycles(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) as number);
    stack.push(v);
    for (const w of imports.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do component.push((w = stack.pop() as string));
    while (w !== v);
    if (component.length > 1) found.push(component.map((f) => relative(SRC, f)).sort());
  };
  for (const file of sources) if (!index.has(file)) visit(file);
  return found;
}

const LAYERS = ['kernel', 'net', 'mc', 'scenario', 'experiment', 'report', 'api', 'cli'];
/** A folder's layer; the package entry (index.ts) is the library's face, the api layer. */
const layerOf = (file: string): number => {
  const top = relative(SRC, file).split('/')[0] as string;
  return LAYERS.indexOf(top === 'index.ts' ? 'api' : top);
};

describe('the shape of src/', () => {
  it('has no import cycle, type imports included', () => {
    expect(cycles()).toEqual([]);
  });

  it('imports only point down the layers (kernel < net < mc < scenario < experiment < report < api < cli)', () => {
    const upward = sources.flatMap((file) =>
      (imports.get(file) ?? [])
        .filter((target) => layerOf(target) > layerOf(file))
        .map((target) => `${relative(SRC, file)} imports ${relative(SRC, target)}`),
    );
    expect(upward).toEqual([]);
  });

  it('keeps files under 300 lines and folders under 16 files', () => {
    const long = sources
      .map((file) => [relative(SRC, file), readFileSync(file, 'utf8').split('\n').length - 1] as const)
      .filter(([, lines]) => lines > 300);
    expect(long).toEqual([]);
    const crowded = [...new Set(sources.map((f) => dirname(f)))]
      .map(
        (dir) => [relative(SRC, dir), readdirSync(dir).filter((n) => statSync(join(dir, n)).isFile()).length] as const,
      )
      .filter(([, files]) => files > 15);
    expect(crowded).toEqual([]);
  });

  it('keeps the network layer readable in one sitting: src/net at most 900 lines', () => {
    const lines = filesUnder(join(SRC, 'net'), /\.ts$/).reduce(
      (sum, f) => sum + readFileSync(f, 'utf8').split('\n').length - 1,
      0,
    );
    expect(lines).toBeLessThanOrEqual(900);
  });

  /** Every text file of the repository that a user or contributor reads (generated digests and locks aside). */
  const repositoryTexts = (): string[] =>
    filesUnder(ROOT, /\.(ts|mts|mjs|js|md|ya?ml|sh|json)$/).filter((f) => {
      const rel = relative(ROOT, f);
      return !/^(\.git|dist|out|coverage)\//.test(rel) && !/(^|\/)(package-lock\.json|golden\.json)$/.test(rel);
    });

  it('names no issue numbers and no file the repository lacks, anywhere in it', () => {
    // Spelled in parts so that this file does not find itself.
    const issue = new RegExp(['iss', 'ue [0-9]'].join(''), 'i');
    const missing = new RegExp(['DES', 'IGN\\.md|DOM', 'AIN\\.md'].join(''));
    const hits = repositoryTexts().flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (issue.test(line) || missing.test(line) ? [`${relative(ROOT, file)}:${i + 1}`] : [])),
    );
    expect(hits).toEqual([]);
  });

  it('links in its documents lead to files it has', () => {
    const broken = repositoryTexts()
      .filter((f) => f.endsWith('.md'))
      .flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/\]\(([^)\s]+)\)/g)]
          .map((m) => (m[1] as string).replace(/#.*$/, ''))
          .filter((target) => target !== '' && !/^[a-z]+:/i.test(target))
          .filter((target) => !existsSync(resolve(dirname(file), decodeURI(target))))
          .map((target) => `${relative(ROOT, file)} -> ${target}`),
      );
    expect(broken).toEqual([]);
  });
});
