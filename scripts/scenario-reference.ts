import { scenarioJsonSchema } from '../src/scenario/format/scenario.ts';

/**
 * docs/scenario-reference.md from the scenario schema: one table per object (key, type,
 * description), the named types (Duration, Distribution, ...) once at the end. Written by hand
 * rather than with a JSON-Schema-to-Markdown tool: those render every nested object as its own
 * page or drop the unions (timeline actions, distributions) that most of the format is made of.
 */

interface Node {
  $ref?: string;
  type?: string;
  description?: string;
  properties?: Record<string, Node>;
  required?: string[];
  additionalProperties?: Node | boolean;
  propertyNames?: Node;
  items?: Node | false;
  prefixItems?: Node[];
  anyOf?: Node[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  pattern?: string;
}

interface Section {
  title: string;
  description?: string | undefined;
  body: string;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const slug = (title: string): string =>
  title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

const INLINE_MAX = 64;

class Reference {
  readonly sections: Section[] = [];
  /** Keys without a description, by path: the reference would leave a reader guessing. */
  readonly undocumented: string[] = [];
  private readonly defs: Record<string, Node>;

  constructor(root: Node & { $defs?: Record<string, Node> }) {
    this.defs = root.$defs ?? {};
  }

  /** A link to a named type's section. */
  private ref(node: Node): string {
    const name = (node.$ref as string).replace('#/$defs/', '');
    return `[${name}](#${slug(name)})`;
  }

  /** A compact rendering of a schema, or undefined when it holds descriptions or is too long to read inline. */
  private inline(node: Node, limit = INLINE_MAX): string | undefined {
    if (node.$ref !== undefined) return this.ref(node);
    if (node.description !== undefined && node.properties === undefined)
      return this.inline({ ...node, description: undefined }, limit);
    if (node.description !== undefined) return undefined;
    let text: string | undefined;
    if (node.anyOf !== undefined) {
      const parts = node.anyOf.map((n) => this.inline(n));
      text = parts.every((p) => p !== undefined) ? parts.join(' or ') : undefined;
    } else if (node.enum !== undefined) text = node.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
    else if (node.const !== undefined) text = `\`${JSON.stringify(node.const)}\``;
    else if (node.prefixItems !== undefined) {
      const parts = node.prefixItems.map((n) => this.inline(n));
      text = parts.every((p) => p !== undefined) ? `[${parts.join(', ')}]` : undefined;
    } else if (node.type === 'array') {
      const item = node.items === false || node.items === undefined ? 'any value' : this.inline(node.items);
      text = item === undefined ? undefined : `list of ${item}${node.minItems ? ` (at least ${node.minItems})` : ''}`;
    } else if (node.type === 'object' && node.properties !== undefined) {
      const req = new Set(node.required ?? []);
      const parts = Object.entries(node.properties).map(([k, v]) => {
        const t = this.inline(v);
        return t === undefined ? undefined : `${k}${req.has(k) ? '' : '?'}: ${t}`;
      });
      text = parts.every((p) => p !== undefined) ? `{ ${parts.join(', ')} }` : undefined;
    } else if (node.type === 'object') {
      const value =
        typeof node.additionalProperties === 'object' ? this.inline(node.additionalProperties) : 'any value';
      const key = node.propertyNames?.$ref !== undefined ? this.ref(node.propertyNames) : 'text';
      text = value === undefined ? undefined : `map of ${key} to ${value}`;
    } else text = scalar(node);
    return text !== undefined && text.replace(/\]\(#[^)]*\)/g, ']').length <= limit ? text : undefined;
  }

  /** The type cell of a property at `path`: inline where it reads well, else a link to a section of its own. */
  type(node: Node, path: string): string {
    if (!holdsObject(node)) return this.inline(node, Infinity) ?? 'any value';
    const inline = this.inline(node);
    if (inline !== undefined && !hasObjectWithDescriptions(node)) return inline;
    if (node.anyOf !== undefined) {
      const objects = node.anyOf.filter((n) => n.properties !== undefined);
      const common = objects.length === node.anyOf.length ? commonKeys(objects) : [];
      if (common.length > 0) {
        this.union(path, node, common);
        return `[object](#${slug(path)})`;
      }
      return node.anyOf
        .map((n, i) => this.type(n, objects.length === 1 ? path : `${path} (${alternative(n, i)})`))
        .join(' or ');
    }
    if (node.type === 'array' && typeof node.items === 'object') return `list of ${this.type(node.items, `${path}[]`)}`;
    if (node.type === 'object' && node.properties === undefined && typeof node.additionalProperties === 'object') {
      const key = node.propertyNames?.$ref !== undefined ? refName(node.propertyNames) : 'text';
      return `map of ${key === 'text' ? key : this.ref(node.propertyNames as Node)} to ${this.type(node.additionalProperties, `${path}.<${key}>`)}`;
    }
    this.object(path, node);
    return `[object](#${slug(path)})`;
  }

  /** Objects that share keys and differ by one of their own (the timeline's actions): one table of each. */
  private union(title: string, node: Node, common: string[]): void {
    const members = node.anyOf as Node[];
    const first = members[0] as Node;
    const shared: Node = {
      ...first,
      properties: Object.fromEntries(common.map((k) => [k, first.properties?.[k] as Node])),
      required: (first.required ?? []).filter((k) => common.includes(k)),
    };
    const own: Node = {
      type: 'object',
      properties: Object.fromEntries(
        members.flatMap((m) => Object.entries(m.properties ?? {}).filter(([k]) => !common.includes(k))),
      ),
    };
    this.object(title, shared, node.description);
    const section = this.sections[this.sections.length - 1] as Section;
    const start = this.sections.length;
    const rows = this.rows(title, own);
    section.body += `

and exactly one of:

${rows}`;
    // Sections the alternatives opened belong after this one.
    this.sections.push(...this.sections.splice(start));
  }
  /** A section: the table of an object's keys. */
  object(title: string, node: Node, description = node.description): void {
    const section: Section = { title, description, body: '' };
    this.sections.push(section);
    section.body = this.rows(title, node);
  }

  private rows(title: string, node: Node): string {
    const req = new Set(node.required ?? []);
    const rows = Object.entries(node.properties ?? {}).map(([key, child]) => {
      const path = title === '' ? key : `${title}.${key}`;
      if (child.description === undefined) this.undocumented.push(path);
      const type = this.type(child, path);
      const text = child.description ?? '';
      const cell = (t: string): string => t.replace(/(?<!\\)\|/g, '\\|');
      return `| \`${key}\` | ${req.has(key) ? '**required** ' : ''}${cell(type)} | ${cell(text)} |`;
    });
    return ['| key | type | description |', '|---|---|---|', ...rows].join('\n');
  }

  /** The named types, each once, in the order a reader meets them. */
  named(): Section[] {
    const order = (name: string): number =>
      (TYPE_ORDER.indexOf(name) + TYPE_ORDER.length + 1) % (TYPE_ORDER.length + 1);
    return Object.keys(this.defs)
      .sort((a, b) => order(a) - order(b) || a.localeCompare(b))
      .map((name) => {
        const node = this.defs[name] as Node;
        // Alternatives of one key read best as a list of forms; larger objects get a table.
        const single = (n: Node): boolean => Object.keys(n.properties ?? {}).length === 1;
        const objects = (node.anyOf ?? [node]).filter((n) => n.properties !== undefined && !single(n));
        const forms = (node.anyOf ?? [])
          .filter((n) => n.properties === undefined || single(n))
          .map((n) => {
            const text = Object.values(n.properties ?? {})[0]?.description;
            return `- ${this.inline(strip(n), Infinity) ?? 'any value'}${text === undefined ? '' : `: ${text}`}`;
          });
        const tables = objects.map((o) => this.rows(name, o));
        const body =
          node.anyOf === undefined && objects.length === 0
            ? (this.inline({ ...node, description: undefined }, Infinity) ?? 'any value')
            : [forms.join('\n'), ...(forms.length > 0 && tables.length > 0 ? ['or an object:'] : []), ...tables]
                .filter((part) => part !== '')
                .join('\n\n');
        // A text type's description says how it is written.
        return { title: name, description: node.description, body: body === 'text' ? '' : body };
      });
  }
}

/** Named types in reading order: the units first, then what the topology is made of, then names. */
const TYPE_ORDER = [
  'Duration',
  'Distribution',
  'Rate',
  'Bandwidth',
  'Link',
  'Rrc',
  'ProcessingByRole',
  'Processing',
  'Background',
  'Name',
  'SystemName',
  'Service',
  'Commencement',
  'SweepValues',
];

/** A schema without its descriptions, to be rendered inline. */
function strip(node: Node): Node {
  const { description: _, ...rest } = node;
  if (rest.properties !== undefined)
    rest.properties = Object.fromEntries(Object.entries(rest.properties).map(([k, v]) => [k, strip(v)]));
  return rest;
}

const refName = (n: Node): string => (n.$ref ?? '').replace('#/$defs/', '');

/** How one alternative of a union is called: its only key, or the key no other alternative has. */
function alternative(node: Node, i: number): string {
  const keys = Object.keys(node.properties ?? {}).filter((k) => !['id', 'at'].includes(k));
  return keys.length === 1 ? (keys[0] as string) : `form ${i + 1}`;
}

/** Whether an object with keys is anywhere inside (a named type aside): only those may need a section. */
function holdsObject(node: Node): boolean {
  if (node.$ref !== undefined) return false;
  if (node.properties !== undefined) return true;
  if (node.anyOf !== undefined) return node.anyOf.some(holdsObject);
  if (typeof node.items === 'object') return holdsObject(node.items);
  if (node.prefixItems !== undefined) return node.prefixItems.some(holdsObject);
  if (typeof node.additionalProperties === 'object') return holdsObject(node.additionalProperties);
  return false;
}

const commonKeys = (objects: Node[]): string[] =>
  Object.keys(objects[0]?.properties ?? {}).filter((k) => objects.every((o) => o.properties?.[k] !== undefined));

function hasObjectWithDescriptions(node: Node): boolean {
  if (node.properties !== undefined)
    return Object.values(node.properties).some((p) => p.description !== undefined || hasObjectWithDescriptions(p));
  if (node.anyOf !== undefined) return node.anyOf.some(hasObjectWithDescriptions);
  if (typeof node.items === 'object') return hasObjectWithDescriptions(node.items);
  if (typeof node.additionalProperties === 'object') return hasObjectWithDescriptions(node.additionalProperties);
  return false;
}

function scalar(node: Node): string | undefined {
  const bounds = [
    node.minimum !== undefined && node.minimum > Number.MIN_SAFE_INTEGER
      ? `>= ${node.minimum}`
      : node.exclusiveMinimum !== undefined
        ? `> ${node.exclusiveMinimum}`
        : '',
    node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER ? `<= ${node.maximum}` : '',
  ].filter((b) => b !== '');
  const range = bounds.length > 0 ? ` ${bounds.join(', ')}` : '';
  if (node.type === 'integer') return `whole number${range}`;
  if (node.type === 'number') return `number${range}`;
  if (node.type === 'boolean') return 'true or false';
  if (node.type === 'string') return node.pattern !== undefined ? `text matching \`${node.pattern}\`` : 'text';
  if (node.type === undefined && node.anyOf === undefined) return 'any value';
  return undefined;
}

/** The reference's sections in reading order: the top level, each object where it is first met, the named types. */
export function scenarioReference(): { markdown: string; undocumented: string[] } {
  const root = scenarioJsonSchema() as Node & {
    $defs?: Record<string, Node>;
  };
  const ref = new Reference(root);
  ref.object('', root, 'A scenario file is one YAML (or JSON) document with these keys.');
  const named = ref.named();
  const render = (s: Section, level: string): string =>
    [`${level} ${s.title === '' ? 'Top level' : s.title}`, s.description, s.body]
      .filter((part) => part !== undefined && part !== '')
      .join('\n\n');
  const markdown = [
    ...ref.sections.map((s) => render(s, '##')),
    '## Types',
    'Values that recur across the format.',
    ...named.map((s) => render(s, '###')),
  ].join('\n\n');
  return { markdown, undocumented: ref.undocumented };
}
