// A small cookie-keeping HTTP client for a real server process (crash tests, benchmarks): fetch with the
// session cookie, read a form's CSRF token, post forms without following redirects.

export class HttpClient {
  readonly cookies = new Map<string, string>();
  constructor(
    readonly base: string,
    readonly headers: Record<string, string> = {},
  ) {}

  #remember(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(path: string): Promise<{ status: number; text: string; location: string | null }> {
    const res = await fetch(this.base + path, {
      headers: { ...this.headers, cookie: this.cookieHeader() },
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
    });
    this.#remember(res);
    return { status: res.status, text: await res.text(), location: res.headers.get('location') };
  }

  async post(path: string, fields: Record<string, string | string[]>): Promise<{ status: number; text: string; location: string | null }> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of ([] as string[]).concat(v)) body.append(k, one);
    const res = await fetch(this.base + path, {
      method: 'POST',
      headers: { ...this.headers, cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
    });
    this.#remember(res);
    return { status: res.status, text: await res.text(), location: res.headers.get('location') };
  }

  /** Opens a page with a form and returns the form's CSRF token. */
  async csrf(path: string): Promise<string> {
    const page = await this.get(path);
    const m = page.text.match(/name="_csrf" value="([^"]+)"/);
    if (page.status !== 200 || !m) throw new Error(`no CSRF token on ${path} (${page.status})`);
    return m[1]!;
  }
}
