// The OpenAPI description of the API's own paths (rooms, availability, the document itself) and the shared parts
// every fragment may use: the `lang` parameter, the error body and the error responses. English, like docs/api.md.
import type { OpenApiFragment } from './fragment.js';
import { MAX_RANGE_DAYS } from '../calendar/availability.js';

const ref = (kind: 'schemas' | 'parameters' | 'responses', name: string) => ({ $ref: `#/components/${kind}/${name}` });
const json = (schema: unknown, example: unknown) => ({ 'application/json': { schema, example } });

const errorExample = (code: string, message: string, field?: string) => ({ error: { code, message, ...(field ? { field } : {}) } });

const AVAILABILITY_EXAMPLE = {
  from: '2026-12-01',
  to: '2026-12-07',
  timezone: 'Europe/Berlin',
  rooms: [{ slug: 'saal-a', name: 'Saal A' }],
  busy: [
    { room: 'saal-a', start: '2026-12-03T19:00:00+01:00', end: '2026-12-03T21:00:00+01:00', status: 'approved', title: 'Nachbarschaftschor' },
    { room: 'saal-a', start: '2026-12-05T10:00:00+01:00', end: '2026-12-05T14:00:00+01:00', status: 'pending' },
  ],
};

export const coreOpenApi: OpenApiFragment = {
  paths: {
    '/api/v1/rooms': {
      get: {
        operationId: 'listRooms',
        summary: 'The rooms of the house',
        description:
          'Every active room with its public facts, in the order of the house: capacity, size, floor, equipment (code and name in ' +
          'the language asked for), accessibility, the rooms it is made of and part of (a booking of a whole occupies its parts), ' +
          'and whether groups can request it online or only through the office.',
        parameters: [ref('parameters', 'Lang')],
        responses: {
          '200': { description: 'The rooms.', content: json(ref('schemas', 'RoomList'), ROOMS_EXAMPLE()) },
          '400': ref('responses', 'BadRequest'),
          '500': ref('responses', 'ServerError'),
        },
      },
    },
    '/api/v1/availability': {
      get: {
        operationId: 'getAvailability',
        summary: 'When rooms are busy',
        description:
          `The busy intervals of every active room (or one room) on the local days from…to, at most ${MAX_RANGE_DAYS} days. A room's ` +
          'list includes the bookings of its parts and wholes and whole-house closures. `title` is present only for an approved ' +
          'booking whose group chose to show a public title, and for a closure marked public.',
        parameters: [
          {
            name: 'from',
            in: 'query',
            description: 'First local day (YYYY-MM-DD); default today.',
            schema: { type: 'string', format: 'date' },
            example: '2026-12-01',
          },
          {
            name: 'to',
            in: 'query',
            description: `Last local day (YYYY-MM-DD), not before from, at most ${MAX_RANGE_DAYS} days in all; default from + 6 days.`,
            schema: { type: 'string', format: 'date' },
            example: '2026-12-07',
          },
          {
            name: 'room',
            in: 'query',
            description: 'Only this room (its slug, as in /api/v1/rooms).',
            schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,79}$' },
            example: 'saal-a',
          },
          ref('parameters', 'Lang'),
        ],
        responses: {
          '200': { description: 'The busy intervals.', content: json(ref('schemas', 'Availability'), AVAILABILITY_EXAMPLE) },
          '400': ref('responses', 'BadRequest'),
          '404': {
            description: 'No active room has this slug.',
            content: json(ref('schemas', 'Error'), errorExample('unknown_room', 'Den Raum „saal-z“ gibt es nicht.', 'room')),
          },
          '500': ref('responses', 'ServerError'),
        },
      },
    },
    '/api/v1/openapi.json': {
      get: {
        operationId: 'getOpenApi',
        summary: 'This description',
        description: 'The OpenAPI 3.1 document of every path under /api/v1.',
        parameters: [ref('parameters', 'Lang')],
        responses: {
          '200': {
            description: 'The OpenAPI document.',
            content: json(
              {
                type: 'object',
                required: ['openapi', 'info', 'paths'],
                properties: { openapi: { const: '3.1.0' }, info: { type: 'object' }, paths: { type: 'object' } },
              },
              { openapi: '3.1.0', info: { title: 'Raumbuch API', version: '1.1.0' }, paths: {} },
            ),
          },
          '400': ref('responses', 'BadRequest'),
        },
      },
    },
  },
  parameters: {
    Lang: {
      name: 'lang',
      in: 'query',
      description: 'Language of names and messages (de, en, …); without it Accept-Language decides, then the house default.',
      schema: { type: 'string' },
      example: 'en',
    },
  },
  responses: {
    BadRequest: {
      description: 'A query parameter is malformed, repeated or not one this path knows; `field` names it.',
      content: json(ref('schemas', 'Error'), errorExample('repeated_parameter', 'Der Parameter „from“ darf nur einmal vorkommen.', 'from')),
    },
    ServerError: {
      description: 'Something went wrong on our side (logged); try again later.',
      content: json(ref('schemas', 'Error'), errorExample('server_error', 'Das hat leider nicht geklappt. Bitte versuchen Sie es später noch einmal.')),
    },
  },
  schemas: {
    Error: {
      type: 'object',
      required: ['error'],
      additionalProperties: false,
      properties: {
        error: {
          type: 'object',
          required: ['code', 'message'],
          additionalProperties: false,
          properties: {
            code: {
              type: 'string',
              description:
                'Stable: bad_request (a malformed date or range), repeated_parameter, unknown_parameter, unknown_room, not_found, ' +
                'method_not_allowed, server_error.',
            },
            message: { type: 'string', description: 'For people, in the language asked for.' },
            field: { type: 'string', description: 'The query parameter the error is about.' },
          },
        },
      },
    },
    RoomList: {
      type: 'object',
      required: ['rooms'],
      additionalProperties: false,
      properties: { rooms: { type: 'array', items: ref('schemas', 'Room') } },
    },
    Room: {
      type: 'object',
      required: [
        'slug',
        'name',
        'description',
        'capacity',
        'sizeM2',
        'floor',
        'equipment',
        'accessible',
        'accessibilityNotes',
        'parts',
        'partOf',
        'bookable',
        'url',
      ],
      additionalProperties: false,
      properties: {
        slug: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
        name: { type: 'string' },
        description: { type: 'string' },
        capacity: { type: 'integer', minimum: 0, description: 'People.' },
        sizeM2: { type: ['integer', 'null'], minimum: 0 },
        floor: { type: 'string' },
        equipment: {
          type: 'array',
          items: {
            type: 'object',
            required: ['code', 'name'],
            additionalProperties: false,
            properties: { code: { type: 'string' }, name: { type: 'string' } },
          },
        },
        accessible: { type: 'boolean', description: 'Step-free access.' },
        accessibilityNotes: { type: 'string' },
        parts: { type: 'array', items: { type: 'string' }, description: 'Slugs of the rooms this room is made of.' },
        partOf: { type: 'array', items: { type: 'string' }, description: 'Slugs of the rooms this room is part of.' },
        bookable: { enum: ['online', 'office'], description: 'online: groups request it on the website; office: only through the house office.' },
        url: { type: 'string', format: 'uri', description: 'The room page.' },
      },
    },
    Availability: {
      type: 'object',
      required: ['from', 'to', 'timezone', 'rooms', 'busy'],
      additionalProperties: false,
      properties: {
        from: { type: 'string', format: 'date' },
        to: { type: 'string', format: 'date' },
        timezone: { type: 'string', description: 'The house zone (IANA), e.g. Europe/Berlin.' },
        rooms: {
          type: 'array',
          items: {
            type: 'object',
            required: ['slug', 'name'],
            additionalProperties: false,
            properties: { slug: { type: 'string' }, name: { type: 'string' } },
          },
        },
        busy: { type: 'array', items: ref('schemas', 'BusyInterval') },
      },
    },
    BusyInterval: {
      type: 'object',
      required: ['room', 'start', 'end', 'status'],
      additionalProperties: false,
      properties: {
        room: { type: 'string', description: 'Slug of the room asked about.' },
        start: { type: 'string', format: 'date-time', description: 'ISO 8601 with the house offset.' },
        end: { type: 'string', format: 'date-time' },
        status: { enum: ['approved', 'pending', 'closed'], description: 'approved: booked; pending: requested, not yet decided; closed: a closure.' },
        title: { type: 'string', description: 'Only when public.' },
      },
    },
  },
};

function ROOMS_EXAMPLE() {
  return {
    rooms: [
      {
        slug: 'saal-a',
        name: 'Saal A',
        description: 'Heller Saal mit Blick in den Hof.',
        capacity: 40,
        sizeM2: 60,
        floor: 'EG',
        equipment: [{ code: 'projector', name: 'Beamer' }],
        accessible: true,
        accessibilityNotes: 'Stufenloser Zugang über den Hof.',
        parts: [],
        partOf: ['grosser-saal'],
        bookable: 'online',
        url: 'https://raum.example.org/rooms/saal-a',
      },
    ],
  };
}
