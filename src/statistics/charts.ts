// Bar charts as accessible SVG, drawn on the server with Vega-Lite (compiled to Vega, rendered without a DOM).
// vega and vega-lite are ES modules with top-level await and a large footprint: loaded on the first chart, not
// at start. Each chart is a horizontal bar per row with its value written next to the bar (readable in grey and
// on paper, not by colour), a <title> and <desc> named by role="img", and no style attributes (strict CSP).

export interface ChartItem {
  label: string;
  value: number;
  /** The value as the table shows it, written next to the bar. */
  text: string;
}

export interface ChartInput {
  id: string;
  title: string;
  description: string;
  axis: string;
  items: readonly ChartItem[];
  /** Fractions shown as per cent on the axis. */
  percent?: boolean;
}

type VegaModules = { vega: typeof import('vega'); vl: typeof import('vega-lite') };
let loading: Promise<VegaModules> | null = null;
function modules(): Promise<VegaModules> {
  loading ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vl]) => ({ vega, vl }));
  return loading;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The last charts drawn, by their whole input: a chart whose numbers did not change since (another write came
 * in, a session was touched) costs no second drawing. Each entry is a few kB of SVG; the oldest goes first.
 */
const drawn = new Map<string, Promise<string>>();
const DRAWN_MAX = 40;

/**
 * How many charts are drawn at once. A Vega view of a chart holds its scenegraph and dataflow until its SVG
 * is written; ten reports asked at once wait here one after the other instead of holding ten views (the
 * machine has few cores: running them side by side would not finish sooner).
 */
const DRAWING_AT_ONCE = 1;
let drawing = 0;
const waiting: (() => void)[] = [];

async function drawBounded(c: ChartInput): Promise<string> {
  if (drawing >= DRAWING_AT_ONCE) await new Promise<void>((r) => waiting.push(r));
  else drawing++;
  try {
    return await draw(c);
  } finally {
    // The turn passes straight to the next waiting chart (the count stays), or is given back.
    const next = waiting.shift();
    if (next) next();
    else drawing--;
  }
}

export function barChart(c: ChartInput): Promise<string> {
  const key = JSON.stringify(c);
  const known = drawn.get(key);
  if (known !== undefined) {
    // Used again: it becomes the newest.
    drawn.delete(key);
    drawn.set(key, known);
    return known;
  }
  // Kept while it is being drawn too, so the same chart asked for twice at once is drawn once; a failure is not kept.
  const svg = drawBounded(c);
  if (drawn.size >= DRAWN_MAX) drawn.delete(drawn.keys().next().value!);
  drawn.set(key, svg);
  svg.catch(() => drawn.get(key) === svg && drawn.delete(key));
  return svg;
}

async function draw(c: ChartInput): Promise<string> {
  const { vega, vl } = await modules();
  const values = c.items.map((i, k) => ({ k, label: i.label, value: i.value, text: i.text }));
  const spec = vl.compile({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 360,
    height: { step: 22 },
    background: 'white',
    data: { values },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 240, labelFontSize: 12 } },
      x: {
        field: 'value',
        type: 'quantitative',
        title: c.axis,
        axis: { titleFontSize: 12, tickCount: 5, ...(c.percent ? { format: '.1~%' } : {}) },
      },
    },
    layer: [
      { mark: { type: 'bar', color: '#37474f', stroke: '#000', strokeWidth: 0.5 } },
      { mark: { type: 'text', align: 'left', dx: 4, color: '#000', fontSize: 12 }, encoding: { text: { field: 'text' } } },
    ],
    padding: { left: 4, top: 4, bottom: 4, right: 56 },
    config: { font: 'sans-serif', aria: false, view: { stroke: null } },
  }).spec;
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const titleId = `chart-${c.id}-title`;
  const descId = `chart-${c.id}-desc`;
  return (
    svg
      // No inline styles under the CSP (Vega writes none for these marks; a later version must not slip one in).
      .replace(/\sstyle="[^"]*"/g, '')
      // The chart is one image (its numbers are in the table beside it): Vega's roles for single marks go.
      .replace(/\s(?:role|aria-roledescription|aria-label)="[^"]*"/g, '')
      .replace(/<svg /, `<svg role="img" aria-labelledby="${titleId}" aria-describedby="${descId}" class="stat-chart-svg" `)
      .replace(/(<svg[^>]*>)/, `$1<title id="${titleId}">${escapeXml(c.title)}</title><desc id="${descId}">${escapeXml(c.description)}</desc>`)
  );
}
