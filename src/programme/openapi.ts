// The OpenAPI 3.1 fragment of GET /api/v1/programme (issue 15 §3 merges the fragments into /api/v1/openapi.json).
// Self-contained: its own schemas, so it merges whatever the shared components are called.
const CATEGORY_CODES = ['education', 'culture', 'social', 'integration', 'sports', 'celebration', 'other'];

export const programmeOpenApi = {
  paths: {
    '/api/v1/programme': {
      get: {
        operationId: 'getProgramme',
        summary: 'Upcoming public events of the house',
        description:
          'The public programme from now to the booking horizon: approved dates of events their group (or the house) marked public. Only the public title, description, kind, room and time; never names or contact data. Times are ISO 8601 with the house offset.',
        tags: ['programme'],
        parameters: [
          {
            name: 'kind',
            in: 'query',
            required: false,
            description: 'Only events of this kind (category code).',
            schema: { type: 'string', enum: CATEGORY_CODES },
          },
          {
            name: 'lang',
            in: 'query',
            required: false,
            description: 'Language of error messages (de, en).',
            schema: { type: 'string' },
          },
        ],
        responses: {
          '200': {
            description: 'The upcoming public events in time order.',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/Programme' },
                example: {
                  events: [
                    {
                      id: 42,
                      date: '2026-12-04',
                      start: '2026-12-04T18:00:00+01:00',
                      end: '2026-12-04T20:00:00+01:00',
                      room: { slug: 'saal-a', name: 'Saal A' },
                      title: 'Nachbarschaftschor',
                      description: 'Wir singen zusammen. Alle sind willkommen, Noten braucht niemand.',
                      kind: 'culture',
                      language: 'de',
                      url: 'https://haus.example.org/programme/42',
                    },
                  ],
                },
              },
            },
          },
          '400': {
            description: 'A parameter is not valid (e.g. an unknown kind).',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/ProgrammeError' },
                example: { error: { code: 'bad_request', message: 'Diese Art von Veranstaltung gibt es nicht.' } },
              },
            },
          },
        },
      },
    },
  },
  schemas: {
    Programme: {
      type: 'object',
      required: ['events'],
      additionalProperties: false,
      properties: { events: { type: 'array', items: { $ref: '#/components/schemas/ProgrammeEvent' } } },
    },
    ProgrammeEvent: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'date', 'start', 'end', 'room', 'title', 'description', 'kind', 'language', 'url'],
      properties: {
        id: { type: 'integer', description: 'The date (booking) id; its page is /programme/{id}.' },
        date: { type: 'string', format: 'date', description: 'Local date in the house zone.' },
        start: { type: 'string', format: 'date-time', examples: ['2026-12-01T18:00:00+01:00'] },
        end: { type: 'string', format: 'date-time' },
        room: {
          type: 'object',
          additionalProperties: false,
          required: ['slug', 'name'],
          properties: { slug: { type: 'string' }, name: { type: 'string' } },
        },
        title: { type: 'string' },
        description: { type: 'string', description: 'Plain text, at most 500 characters, in `language`.' },
        kind: { type: 'string', enum: CATEGORY_CODES },
        language: { type: 'string', description: 'Language code of title and description as entered (e.g. de).' },
        url: { type: 'string', format: 'uri', description: "The event's public page." },
      },
    },
    ProgrammeError: {
      type: 'object',
      required: ['error'],
      properties: {
        error: {
          type: 'object',
          required: ['code', 'message'],
          properties: { code: { type: 'string' }, message: { type: 'string' } },
        },
      },
    },
  },
};
