// Request and response objects born with Express's prototypes. Express gives every request and response its
// prototype after Node made them (`Object.setPrototypeOf(req, app.request)`). In V8 an object whose prototype is
// changed after it got properties gets a shape of its own that no other object shares, so every property set on
// it later (`req.cookies`, `req.lang`, `res.locals`, the headers' bookkeeping: ~25 a page) made yet another new
// shape and missed V8's caches: a fifth of a rendered week's instructions (BENCHMARKS.md). Node's server takes
// the classes it makes requests and responses with. Here they are subclasses of Node's whose prototypes inherit
// from Express's, and the app's request and response prototypes are set to them: Express's own call then finds
// the prototype already in place and changes nothing, and all requests share their shapes. (The subclasses are
// classes so that V8 keeps one initial shape for them; a plain function as `new.target` gets a new one each time.)
import http from 'node:http';
import type { Express } from 'express';

export interface HttpObjects {
  IncomingMessage: typeof http.IncomingMessage;
  ServerResponse: typeof http.ServerResponse;
}

const made = new WeakMap<Express, HttpObjects>();

/** An HTTP server for the app whose requests and responses are made with its prototypes (see above). */
export function createHttpServer(app: Express): http.Server {
  return http.createServer(httpObjects(app), app);
}

/**
 * The options for `http.createServer(options, app)`: the classes Node makes this app's requests and responses
 * with. Sets the app's request and response prototypes to theirs (which inherit everything Express's had).
 */
export function httpObjects(app: Express): HttpObjects {
  const known = made.get(app);
  if (known) return known;
  class Request extends http.IncomingMessage {}
  class Response extends http.ServerResponse {}
  Object.setPrototypeOf(Request.prototype, app.request);
  Object.setPrototypeOf(Response.prototype, app.response);
  app.request = Request.prototype as typeof app.request;
  app.response = Response.prototype as typeof app.response;
  const objects: HttpObjects = { IncomingMessage: Request, ServerResponse: Response as typeof http.ServerResponse };
  made.set(app, objects);
  return objects;
}
