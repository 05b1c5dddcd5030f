import {
  Drop,
  ForTag,
  IfTag,
  Output,
  toValue,
  toValueSync,
  TypeGuards,
  UnlessTag,
  type Liquid,
  type Template,
} from 'liquidjs';

/**
 * A strict render of the common templates without liquidjs's generators: the same parsed templates, walked by
 * plain functions. A run renders four fields per e-mail, and liquidjs's machinery (a generator per node, value
 * and filter, a clock read per node) was most of each render, itself a fifth of a next-day run.
 *
 * It does what liquidjs does, reusing its parse, its operators, its truth tests and the engine's own filters,
 * for text, outputs (money, date and the output escape as filters), if, unless and for without parameters. Any
 * other tag or filter makes the whole field go to liquidjs, and so does, at render time, anything out of the
 * ordinary (a variable that does not exist, a value that is not a list where one is walked, a render past its
 * time bound or past FAST_LIMITS): liquidjs then renders it from the start and says what went wrong, exactly as before.
 */

/** Thrown (one instance, no stack to build) when liquidjs must render the field instead. */
const FALLBACK = new Error('fall back to liquidjs');

/** Nodes visited and characters written by one render before it is left to liquidjs and its time bound. */
export const FAST_LIMITS = { nodes: 100_000, chars: 10_000_000 } as const;

type Scope = Record<string, unknown>;
type State = { root: Scope; scopes: Scope[]; nodes: number; out: string; context: FilterContext; deadline: number };
type FilterContext = { environments: Scope; opts: Liquid['options'] };
type Eval = (state: State) => unknown;
type Run = (state: State) => void;
type Token = { content?: unknown } & Record<string, unknown>;

const hasOwn = Object.prototype.hasOwnProperty;
const isFunction = (v: unknown): v is (...args: unknown[]) => unknown => typeof v === 'function';

/** liquidjs's forloop object, with the same readable fields and methods. */
class Forloop extends Drop {
  i = 0;
  constructor(
    readonly length: number,
    readonly name: string,
  ) {
    super();
  }
  index0() {
    return this.i;
  }
  index() {
    return this.i + 1;
  }
  first() {
    return this.i === 0;
  }
  last() {
    return this.i === this.length - 1;
  }
  rindex() {
    return this.length - this.i;
  }
  rindex0() {
    return this.length - this.i - 1;
  }
}

function toLiquid(value: unknown): unknown {
  const own = (value as { toLiquid?: unknown } | null | undefined)?.toLiquid;
  return isFunction(own) ? toLiquid(own.call(value)) : value;
}

function readArrayElement(list: unknown[], index: number): unknown {
  const at = index < 0 ? list.length + index : index;
  return hasOwn.call(list, at) ? list[at] : undefined;
}

function readJsProperty(obj: object, key: unknown): unknown {
  if (!hasOwn.call(obj, key as PropertyKey) && !(obj instanceof Drop)) return undefined;
  return (obj as Record<PropertyKey, unknown>)[key as PropertyKey];
}

/** liquidjs's Context.readProperty with ownPropertyOnly, as the engine is configured. */
function readProperty(from: unknown, rawKey: unknown): unknown {
  const obj = toLiquid(from);
  const key = toValue(rawKey);
  if (obj === null || obj === undefined) return obj;
  if (Array.isArray(obj) && typeof key === 'number') return readArrayElement(obj, key);
  const value = readJsProperty(obj as object, key);
  if (value === undefined && obj instanceof Drop) return obj.liquidMethodMissing(key as string, undefined as never);
  if (isFunction(value)) return value.call(obj);
  if (key === 'size') {
    const size = (obj as { size?: unknown }).size;
    if (hasOwn.call(obj, 'size') || size !== undefined) return size;
    if (Array.isArray(obj) || typeof obj === 'string') return obj.length;
    return typeof obj === 'object' ? Object.keys(obj).length : undefined;
  }
  if (key === 'first') return Array.isArray(obj) ? readArrayElement(obj, 0) : readJsProperty(obj as object, 'first');
  if (key === 'last') return Array.isArray(obj) ? readArrayElement(obj, -1) : readJsProperty(obj as object, 'last');
  return value;
}

function compileOperand(token: Token): Eval | null {
  if ('content' in token) {
    const constant = token.content;
    return () => constant;
  }
  if (!TypeGuards.isPropertyAccessToken(token as never)) return null;
  const access = token as unknown as { variable?: Token; props: Token[] };
  const props: Eval[] = [];
  for (const prop of access.props) {
    const evaluate = compileOperand(prop);
    if (evaluate === null) return null;
    if ('content' in prop) {
      const key = toValue(prop.content);
      props.push(() => key);
    } else props.push((state) => toValue(evaluate(state)));
  }
  let start: Eval | null = null;
  if (access.variable !== undefined) {
    if (!('content' in access.variable)) return null;
    const variable = access.variable.content;
    start = () => variable;
  }
  return (state) => {
    const keys = props.map((prop) => prop(state));
    let scope: unknown;
    if (start !== null) scope = start(state);
    else {
      // liquidjs's findScope: the innermost loop scope holding the name, else the context (`in`, as liquidjs).
      const first = keys[0] as PropertyKey;
      scope = state.root;
      for (let i = state.scopes.length - 1; i >= 0; i--)
        if (first in state.scopes[i]!) {
          scope = state.scopes[i];
          break;
        }
      if (scope === state.root && !(first in state.root)) scope = {};
    }
    for (const key of keys) {
      scope = readProperty(scope, key);
      // Strict variables: liquidjs names the missing one.
      if (scope === undefined) throw FALLBACK;
    }
    return scope;
  };
}

/** An expression in liquidjs's postfix order; its operators are liquidjs's own. */
function compileExpression(postfix: Token[], liquid: Liquid): Eval | null {
  const steps: ({ operand: Eval } | { operator: string; unary: boolean })[] = [];
  for (const token of postfix) {
    if (TypeGuards.isOperatorToken(token as never)) {
      const operator = (token as unknown as { operator: string }).operator;
      if (!isFunction(liquid.options.operators[operator])) return null;
      steps.push({ operator, unary: operator === 'not' });
    } else {
      const operand = compileOperand(token);
      if (operand === null) return null;
      steps.push({ operand });
    }
  }
  if (steps.length === 1 && 'operand' in steps[0]!) return steps[0].operand;
  return (state) => {
    const stack: unknown[] = [];
    for (const step of steps) {
      if ('operand' in step) stack.push(step.operand(state));
      else {
        // liquidjs's operators read only the options of the context they are given (its truth test).
        const operate = state.context.opts.operators[step.operator] as (...args: unknown[]) => unknown;
        const right = stack.pop();
        const result = step.unary ? operate(right, state.context) : operate(stack.pop(), right, state.context);
        stack.push(toValueSync(result));
      }
    }
    return stack[0];
  };
}

type ValueParts = { initial: { postfix: Token[] }; filters: FilterParts[] };
type FilterParts = { handler: (...args: unknown[]) => unknown; args: unknown[]; token: unknown; raw: boolean };

function compileValue(value: ValueParts, liquid: Liquid, allowed: Set<unknown>): Eval | null {
  const initial = compileExpression(value.initial.postfix, liquid);
  if (initial === null) return null;
  const filters: { filter: FilterParts; args: Eval[] }[] = [];
  for (const filter of value.filters) {
    if (!allowed.has(filter.handler)) return null;
    const args: Eval[] = [];
    for (const arg of filter.args) {
      const evaluate = Array.isArray(arg) ? null : compileOperand(arg as Token);
      if (evaluate === null) return null;
      args.push(evaluate);
    }
    filters.push({ filter, args });
  }
  if (filters.length === 0) return initial;
  return (state) => {
    let result = initial(state);
    for (const { filter, args } of filters) {
      const values = args.map((arg) => arg(state));
      result = filter.handler.apply({ context: state.context, token: filter.token, liquid }, [result, ...values]);
    }
    return result;
  };
}

function isTruthy(value: unknown, state: State): boolean {
  const v = toValue(value);
  return state.context.opts.jsTruthy ? Boolean(v) : !(v === false || v === undefined || v === null);
}

function compileTemplates(templates: Template[], liquid: Liquid, allowed: Set<unknown>): Run | null {
  const runs: Run[] = [];
  for (const template of templates) {
    const run = compileTemplate(template, liquid, allowed);
    if (run === null) return null;
    runs.push(run);
  }
  return (state) => {
    for (const run of runs) {
      if (++state.nodes > FAST_LIMITS.nodes || state.out.length > FAST_LIMITS.chars) throw FALLBACK;
      // liquidjs's time bound, read every so many nodes rather than at each.
      if ((state.nodes & 255) === 0 && performance.now() > state.deadline) throw FALLBACK;
      run(state);
    }
  };
}

type Branch = { value: ValueParts; templates: Template[]; test?: (v: unknown, ctx: unknown) => boolean };

function compileTemplate(template: Template, liquid: Liquid, allowed: Set<unknown>): Run | null {
  if (template instanceof Output) {
    const value = compileValue(template.value as unknown as ValueParts, liquid, allowed);
    if (value === null) return null;
    return (state) => {
      const printed = toValue(value(state));
      // The output escape always gives a string; anything else is written by liquidjs's emitter.
      if (typeof printed !== 'string') throw FALLBACK;
      state.out += printed;
    };
  }
  if (template instanceof IfTag || template instanceof UnlessTag) {
    const tag = template as unknown as { branches: Branch[]; elseTemplates?: Template[] };
    const branches: { test: (v: unknown, state: State) => boolean; value: Eval; run: Run }[] = [];
    for (const branch of tag.branches) {
      if (branch.value.filters.length > 0) return null;
      const value = compileValue(branch.value, liquid, allowed);
      const run = compileTemplates(branch.templates, liquid, allowed);
      if (value === null || run === null) return null;
      const test = branch.test;
      branches.push({ value, run, test: test ? (v, state) => test(v, state.context) : isTruthy });
    }
    const otherwise = compileTemplates(tag.elseTemplates ?? [], liquid, allowed);
    if (otherwise === null) return null;
    return (state) => {
      for (const branch of branches) {
        if (branch.test(toValue(branch.value(state)), state)) return branch.run(state);
      }
      otherwise(state);
    };
  }
  if (template instanceof ForTag) {
    const tag = template as unknown as {
      variable: string;
      collection: Token & { getText(): string };
      hash: { hash: object };
      templates: Template[];
      elseTemplates: Template[];
    };
    if (Object.keys(tag.hash.hash).length > 0) return null;
    const collection = compileOperand(tag.collection);
    const body = compileTemplates(tag.templates, liquid, allowed);
    const otherwise = compileTemplates(tag.elseTemplates, liquid, allowed);
    if (collection === null || body === null || otherwise === null) return null;
    const name = `${tag.variable}-${tag.collection.getText()}`;
    return (state) => {
      const list = toValue(collection(state));
      if (list === null || list === undefined) return otherwise(state);
      if (!Array.isArray(list)) throw FALLBACK;
      if (list.length === 0) return otherwise(state);
      const forloop = new Forloop(list.length, name);
      const scope: Scope = Object.create(null);
      scope.forloop = forloop;
      state.scopes.push(scope);
      for (const item of list) {
        scope[tag.variable] = item;
        body(state);
        forloop.i++;
      }
      state.scopes.pop();
    };
  }
  const token = (template as { token?: unknown }).token;
  const text = (template as { str?: unknown }).str;
  if (TypeGuards.isHTMLToken(token as never) && typeof text === 'string')
    return (state) => {
      state.out += text;
    };
  return null;
}

/** Renders made here and left to liquidjs, since the process started: what tests check the fast path by. */
export const fastRenderCounts = { fast: 0, liquidjs: 0 };

/** Compiled fields by their parsed templates (which the engine's parse cache keeps), null when liquidjs must do it. */
const compiled = new WeakMap<Template[], Run | null>();

/**
 * The strict render of parsed `templates` with `scope`, or null when liquidjs must render them (unsupported tag
 * or filter, or anything unusual met while rendering).
 */
export function fastRender(
  templates: Template[],
  liquid: Liquid,
  scope: Scope,
  options: { filters: string[]; renderMs: number },
): string | null {
  let run = compiled.get(templates);
  if (run === undefined) {
    const allowed = new Set<unknown>([
      liquid.options.outputEscape,
      ...options.filters.map((name) => liquid.filters[name]),
    ]);
    run = compileTemplates(templates, liquid, allowed);
    compiled.set(templates, run);
  }
  if (run === null) {
    fastRenderCounts.liquidjs++;
    return null;
  }
  const start = performance.now();
  const state: State = {
    root: scope,
    scopes: [],
    nodes: 0,
    out: '',
    context: { environments: scope, opts: liquid.options },
    deadline: start + options.renderMs,
  };
  try {
    // As liquidjs, which checks its bound before the first node: a bound already past fails there.
    if (start > state.deadline) throw FALLBACK;
    run(state);
  } catch {
    fastRenderCounts.liquidjs++;
    return null;
  }
  fastRenderCounts.fast++;
  return state.out;
}
