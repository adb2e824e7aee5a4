// The view engine: EJS templates compiled without `with`. EJS by default wraps a template in `with (locals)`, so
// every name a template reads (a local, a helper, its own variables, EJS's output function) is looked up at run
// time through that object and the scope chain; V8 cannot resolve such names ahead, and on a page that was the
// largest single cost of rendering (issue 16). Here each view is compiled with `_with: false` and its locals
// declared as variables (EJS's own `destructuredLocals`), for the names the render passes: a view is compiled
// once per set of local names it is rendered with (a handful: optional locals such as a notice or the user).
//
// The meaning of a template is the same as under `with`: a name that is a local reads the local, any other name
// resolves as before (the template's own variables, globals). Only the locals a view's code names are declared
// (so a shared partial has one variant per set of the locals it reads, whatever page includes it); a local that
// the template also declares at its top level (`<% const plan = … %>`) is left to the template, found the way
// the compiler finds it (a duplicate declaration), so a name declared only in an inner block, or one that appears
// in a comment or string, stays the local it is. Includes ('/partials/head') resolve against the views folder and
// see the including view's locals plus the ones they are given, as EJS's include does.
import ejs from 'ejs';
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

type Locals = Record<string, unknown>;
type Include = (path: string, extra?: Locals) => string;
type Compiled = (data: Locals) => string;

/** Names that cannot be declared as variables, and EJS's own names inside a compiled view. */
const NOT_DECLARABLE = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await arguments eval undefined ' +
    'locals escapeFn include rethrow __output __append __line __lines __filename __locals'
  ).split(' '),
);
const IDENTIFIER = /^[a-zA-Z_$][0-9a-zA-Z_$]*$/;
/** A duplicate declaration: the template declares a local's name itself. */
const DUPLICATE = /Identifier '([^']+)' has already been declared/;

/**
 * At most this many compiled variants of one view (sets of local names); beyond that a view is compiled with
 * EJS's `with` once and used for any further set, so a view rendered with ever new names cannot fill the memory.
 */
const MAX_VARIANTS = 24;

interface View {
  source: string;
  /** The words of the view's code (its `<% %>` tags): the names it may read. */
  words: Set<string>;
  /** Names the view declares itself at its top level (learned when compiling). */
  own: Set<string>;
  /** Compiled variants by their set of names (sorted). */
  variants: Map<string, Compiled>;
  /** The same by the names in the order a render passed them (locals come in varying order): looked up first. */
  byOrder: Map<string, Compiled>;
  withScope?: Compiled;
}

export interface ViewEngineOptions {
  /** The views folder: includes name a view by its path below it ('/partials/head'). */
  root: string;
  /** Keep views and their compiled variants (production); otherwise read and compile them at each render. */
  cache: boolean;
}

/** The identifier-like words of a template's code (its `<% %>` tags, not comments or a literal `<%%`). */
export function codeWords(source: string): Set<string> {
  const words = new Set<string>();
  for (const [, code] of source.matchAll(/<%(?![#%])[_=-]?([\s\S]*?)[_-]?%>/g)) {
    for (const [word] of (code ?? '').matchAll(/[a-zA-Z_$][0-9a-zA-Z_$]*/g)) words.add(word);
  }
  return words;
}

/** `app.engine('ejs', …)`: renders a view file with its locals. */
export function viewEngine(opts: ViewEngineOptions) {
  const views = new Map<string, View>();
  const declarable = new Map<string, boolean>();
  const isDeclarable = (name: string, view: View): boolean => {
    let ok = declarable.get(name);
    if (ok === undefined) declarable.set(name, (ok = IDENTIFIER.test(name) && !NOT_DECLARABLE.has(name)));
    return ok && view.words.has(name) && !view.own.has(name);
  };

  const viewAt = (file: string): View => {
    let view = opts.cache ? views.get(file) : undefined;
    if (!view) {
      const source = readFileSync(file, 'utf8');
      view = { source, words: codeWords(source), own: new Set(), variants: new Map(), byOrder: new Map() };
      if (opts.cache) views.set(file, view);
    }
    return view;
  };

  const compileOnce = (view: View, file: string, names: string[] | null): Compiled =>
    ejs.compile(view.source, {
      filename: file,
      root: opts.root,
      cache: false,
      // Without `with`, a name is never looked up through the locals' prototype, so EJS's copy of them into an
      // object without one (which guards `with` against a polluted Object.prototype) is not needed.
      ...(names ? { _with: false, destructuredLocals: [...names, 'include'], unsafePrototypeLocals: true } : {}),
    });

  /** Compiles `view` with `names` declared, leaving out each one the template declares itself at its top level. */
  const compile = (view: View, file: string, names: string[] | null): Compiled => {
    for (;;) {
      try {
        return compileOnce(view, file, names);
      } catch (err) {
        const name = names && err instanceof Error ? DUPLICATE.exec(err.message)?.[1] : undefined;
        if (!name || !names?.includes(name)) throw err;
        view.own.add(name);
        names = names.filter((n) => n !== name);
      }
    }
  };

  const compiledFor = (view: View, file: string, names: string[]): Compiled => {
    const order = names.join(',');
    let fn = view.byOrder.get(order);
    if (fn) return fn;
    const set = names.sort().join(',');
    fn = view.variants.get(set);
    if (!fn) {
      if (view.variants.size >= MAX_VARIANTS) return (view.withScope ??= compile(view, file, null));
      fn = compile(view, file, names);
      view.variants.set(set, fn);
    }
    if (view.byOrder.size < 4 * MAX_VARIANTS) view.byOrder.set(order, fn);
    return fn;
  };

  const render = (file: string, data: Locals): string => {
    const view = viewAt(file);
    const names: string[] = [];
    for (const name in data) if (Object.hasOwn(data, name) && isDeclarable(name, view)) names.push(name);
    // The locals are a fresh object for each render (Express's, or an include's below): the view's include is set on it.
    // Object.assign, not a spread: a spread's copy gets a shape of its own in V8, and every property added to it
    // (the include below, Express's `_locals`) a new one again at each render (src/web/http-objects.ts).
    const include: Include = (path, extra) => render(pathOf(path), extra ? Object.assign({}, data, extra) : data);
    data.include = include;
    return compiledFor(view, file, names)(data);
  };

  const pathOf = (path: string): string => {
    // EJS would resolve a relative path against the including view; here every include names its view from the root.
    if (!path.startsWith('/')) throw new Error(`include('${path}'): name the view by its path below the views folder ('/partials/…')`);
    const file = join(opts.root, path);
    return extname(file) ? file : `${file}.ejs`;
  };

  return (file: string, data: object, cb: (err: Error | null, html?: string) => void): void => {
    let html: string;
    try {
      html = render(file, data as Locals);
    } catch (err) {
      return cb(err as Error);
    }
    cb(null, html);
  };
}
