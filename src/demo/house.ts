// The demo house: "Haus der Begegnung" with rooms, weekly groups, single events, pending requests and
// closures, all dated from the current week on so the calendars always look alive.
import type { Conn, DB } from '../db/database.js';
import type { BookingStatus, Category, OpeningHours, SkipReason } from '../db/schema.js';
import { addDays, addMonths, localToInstant, todayIn, weekStart, type Clock } from '../time/index.js';
import { holidaysBetween } from '../time/holidays.js';
import { newManageToken, nextReference } from '../bookings/reference.js';

const ZONE = 'Europe/Berlin';
const STATE = 'BE';

const OPENING: OpeningHours = {
  '1': { open: '08:00', close: '22:00' },
  '2': { open: '08:00', close: '22:00' },
  '3': { open: '08:00', close: '22:00' },
  '4': { open: '08:00', close: '22:00' },
  '5': { open: '08:00', close: '23:00' },
  '6': { open: '09:00', close: '23:00' },
  '7': { open: '10:00', close: '18:00' },
};

const RULES = `1. Die Räume stehen Gruppen aus der Nachbarschaft offen: Vereinen, Initiativen, Selbsthilfegruppen, Kursen und Familien.
2. Bitte hinterlassen Sie den Raum so, wie Sie ihn vorgefunden haben: Tische und Stühle zurückstellen, Geschirr spülen, Müll trennen.
3. Ab 22 Uhr ist Nachtruhe im Hof; Fenster bitte schließen.
4. Rauchen ist im ganzen Haus verboten. Alkohol nur nach Absprache.
5. Den Schlüssel erhalten Sie nach der Bestätigung im Büro (Mo–Fr 9–15 Uhr) gegen Unterschrift.
6. Schäden bitte sofort melden. Die Nutzung ist für Nachbarschaftsgruppen kostenfrei.`;

const PRIVACY = `Verantwortlich: Nachbarschaftsverein Lindenviertel e. V., Lindenstraße 12, 10969 Berlin, raumvergabe@hdb-example.org.

Was wir speichern und wozu: Ihre Angaben in der Raumanfrage (Name, Organisation, E-Mail, Telefon, Titel, Hinweise, gewünschte Termine, erwartete Personenzahl) verwenden wir nur, um Ihre Anfrage zu bearbeiten, den Raum zu vergeben und Sie über Entscheidungen und Änderungen zu informieren. Rechtsgrundlage ist Art. 6 Abs. 1 lit. b DSGVO (Anbahnung und Durchführung der Raumnutzung).

Was öffentlich ist: Im öffentlichen Kalender steht nur, dass ein Raum belegt oder angefragt ist – und, nur wenn Sie das ankreuzen, der öffentliche Titel Ihrer Veranstaltung. Namen und Kontaktdaten erscheinen nie öffentlich.

Wer die Daten sieht: die Hausverwaltung und die Hausmeisterei des Hauses. E-Mails an Sie werden über den E-Mail-Anbieter des Vereins versandt. Es gibt kein Tracking und keine Dienste Dritter; Cookies dienen nur der Sitzung (Schutz der Formulare) und der gewählten Sprache.

Wie lange: Ihre persönlichen Angaben werden sechs Monate nach Ihrem letzten Termin gelöscht; übrig bleiben nur anonyme Angaben (Raum, Zeit, Kategorie, Personenzahl) für die Statistik. Sicherungskopien der Datenbank werden nach 14 Tagen überschrieben.

Ihre Rechte: Sie können Auskunft, Berichtigung, Löschung und Einschränkung der Verarbeitung verlangen und der Verarbeitung widersprechen (raumvergabe@hdb-example.org). Sie können sich außerdem bei der Berliner Beauftragten für Datenschutz und Informationsfreiheit beschweren.`;

const IMPRINT = `Haus der Begegnung
Nachbarschaftsverein Lindenviertel e. V.
Lindenstraße 12, 10969 Berlin
Vertreten durch den Vorstand: Petra Lindner
Vereinsregister: Amtsgericht Charlottenburg, VR 00000 (Beispiel)
Telefon: 030 1234567 · E-Mail: raumvergabe@hdb-example.org`;

interface DemoRoom {
  slug: string;
  name: string;
  description: string;
  capacity: number;
  size: number;
  equipment: string[];
  accessible: boolean;
  accessibilityNotes: string;
  floor: string;
  before: number;
  after: number;
  publicBookable?: boolean;
}

const ROOMS: DemoRoom[] = [
  {
    slug: 'grosser-saal',
    name: 'Großer Saal',
    description: 'Der große Saal für Feste, Versammlungen und Konzerte. Er besteht aus Saal A und Saal B; die Faltwand wird für Sie geöffnet.',
    capacity: 120,
    size: 140,
    equipment: ['projector', 'screen', 'sound', 'chairs_tables', 'piano', 'wifi'],
    accessible: true,
    accessibilityNotes: 'Ebenerdiger Zugang vom Hof, barrierefreies WC im Erdgeschoss, induktive Höranlage.',
    floor: 'Erdgeschoss',
    before: 30,
    after: 30,
  },
  {
    slug: 'saal-a',
    name: 'Saal A',
    description: 'Vordere Hälfte des großen Saals, mit Fenstern zum Hof.',
    capacity: 60,
    size: 70,
    equipment: ['projector', 'screen', 'chairs_tables', 'wifi'],
    accessible: true,
    accessibilityNotes: 'Ebenerdiger Zugang vom Hof, barrierefreies WC im Erdgeschoss.',
    floor: 'Erdgeschoss',
    before: 15,
    after: 15,
  },
  {
    slug: 'saal-b',
    name: 'Saal B',
    description: 'Hintere Hälfte des großen Saals, mit Klavier und Zugang zur Teeküche.',
    capacity: 60,
    size: 70,
    equipment: ['piano', 'chairs_tables', 'wifi'],
    accessible: true,
    accessibilityNotes: 'Ebenerdiger Zugang vom Hof, barrierefreies WC im Erdgeschoss.',
    floor: 'Erdgeschoss',
    before: 15,
    after: 15,
  },
  {
    slug: 'gruppenraum',
    name: 'Gruppenraum',
    description: 'Heller Raum für Kurse, Gruppentreffen und Sitzungen.',
    capacity: 20,
    size: 35,
    equipment: ['whiteboard', 'flipchart', 'chairs_tables', 'wifi', 'tv'],
    accessible: true,
    accessibilityNotes: 'Im 1. Obergeschoss, mit dem Aufzug erreichbar (Türbreite 90 cm).',
    floor: '1. Obergeschoss',
    before: 0,
    after: 15,
  },
  {
    slug: 'lehrkueche',
    name: 'Lehrküche',
    description: 'Voll ausgestattete Küche mit großem Esstisch, für Kochkurse und gemeinsames Essen.',
    capacity: 14,
    size: 40,
    equipment: ['kitchen', 'dishes', 'chairs_tables'],
    accessible: true,
    accessibilityNotes: 'Erdgeschoss, unterfahrbare Arbeitsplatte.',
    floor: 'Erdgeschoss',
    before: 0,
    after: 30,
  },
  {
    slug: 'bewegungsraum',
    name: 'Bewegungsraum',
    description: 'Raum mit Schwingboden für Gymnastik, Tanz, Yoga und Krabbelgruppen.',
    capacity: 25,
    size: 60,
    equipment: ['mats', 'sound', 'toys'],
    accessible: false,
    accessibilityNotes: 'Im Untergeschoss, nur über eine Treppe (14 Stufen) erreichbar.',
    floor: 'Untergeschoss',
    before: 0,
    after: 15,
  },
  {
    slug: 'beratungsraum',
    name: 'Beratungsraum',
    description: 'Kleiner, ruhiger Raum für Beratung und vertrauliche Gespräche. Vergabe nur über das Büro.',
    capacity: 6,
    size: 15,
    equipment: ['chairs_tables'],
    accessible: true,
    accessibilityNotes: 'Erdgeschoss, ebenerdig.',
    floor: 'Erdgeschoss',
    before: 0,
    after: 0,
    publicBookable: false,
  },
];

interface DemoRequest {
  room: string;
  title: string;
  publicTitle?: string;
  /** Listed in the public programme (/programme) with this description. */
  programme?: string;
  organisation?: string;
  contact: string;
  email: string;
  phone?: string;
  category: Category;
  attendees: number;
  /** Days from the Monday of the current week (series: the first occurrence). */
  day: number;
  start: string;
  end: string;
  status: BookingStatus;
  /** Weekly every N weeks, for this many weeks. */
  repeat?: { weeks: number; span: number };
  equipment?: string[];
}

const REQUESTS: DemoRequest[] = [
  {
    room: 'saal-a',
    title: 'Seniorencafé',
    publicTitle: 'Seniorencafé – Kaffee, Kuchen, Gespräche',
    programme: 'Jeden Mittwoch Kaffee, selbst gebackener Kuchen und Zeit für Gespräche. Neue Gesichter sind herzlich willkommen.',
    organisation: 'Nachbarschaftsverein Lindenviertel',
    contact: 'Helga Beispiel',
    email: 'seniorencafe@example.org',
    category: 'social',
    attendees: 35,
    day: 2,
    start: '14:30',
    end: '17:00',
    status: 'approved',
    repeat: { weeks: 1, span: 26 },
    equipment: ['chairs_tables'],
  },
  {
    room: 'gruppenraum',
    title: 'Deutschkurs A2 (Montag)',
    publicTitle: 'Deutschkurs A2',
    organisation: 'Sprachbrücke e. V.',
    contact: 'Murat Muster',
    email: 'kurs@example.org',
    phone: '030 555 0101',
    category: 'integration',
    attendees: 14,
    day: 0,
    start: '09:00',
    end: '12:00',
    status: 'approved',
    repeat: { weeks: 1, span: 26 },
    equipment: ['whiteboard'],
  },
  {
    room: 'gruppenraum',
    title: 'Deutschkurs A2 (Donnerstag)',
    publicTitle: 'Deutschkurs A2',
    organisation: 'Sprachbrücke e. V.',
    contact: 'Murat Muster',
    email: 'kurs@example.org',
    phone: '030 555 0101',
    category: 'integration',
    attendees: 14,
    day: 3,
    start: '09:00',
    end: '12:00',
    status: 'approved',
    repeat: { weeks: 1, span: 26 },
  },
  {
    room: 'bewegungsraum',
    title: 'Krabbelgruppe',
    publicTitle: 'Krabbelgruppe (0–3 Jahre)',
    organisation: 'Familienzentrum Linde',
    contact: 'Anna Probe',
    email: 'krabbeln@example.org',
    category: 'social',
    attendees: 12,
    day: 1,
    start: '10:00',
    end: '11:30',
    status: 'approved',
    repeat: { weeks: 1, span: 26 },
    equipment: ['toys', 'mats'],
  },
  {
    room: 'grosser-saal',
    title: 'Probe Nachbarschaftschor',
    publicTitle: 'Nachbarschaftschor',
    organisation: 'Chor Lindenviertel',
    contact: 'Jonas Exempel',
    email: 'chor@example.org',
    category: 'culture',
    attendees: 40,
    day: 3,
    start: '19:00',
    end: '21:00',
    status: 'approved',
    repeat: { weeks: 1, span: 26 },
    equipment: ['piano'],
  },
  {
    room: 'bewegungsraum',
    title: 'Yoga für Anfänger',
    contact: 'Sabine Test',
    email: 'yoga@example.org',
    category: 'sports',
    attendees: 15,
    day: 0,
    start: '18:00',
    end: '19:30',
    status: 'approved',
    repeat: { weeks: 1, span: 20 },
    equipment: ['mats'],
  },
  {
    room: 'beratungsraum',
    title: 'Selbsthilfegruppe',
    organisation: 'Selbsthilfe-Kontaktstelle',
    contact: 'Vertraulich',
    email: 'shg@example.org',
    category: 'social',
    attendees: 6,
    day: 1,
    start: '19:00',
    end: '21:00',
    status: 'approved',
    repeat: { weeks: 2, span: 26 },
  },
  {
    room: 'saal-b',
    title: 'Tanzgruppe Anatolien',
    publicTitle: 'Folkloretanz',
    organisation: 'Kulturverein Anadolu',
    contact: 'Elif Beispiel',
    email: 'tanz@example.org',
    category: 'culture',
    attendees: 20,
    day: 11,
    start: '17:00',
    end: '19:00',
    status: 'pending',
    repeat: { weeks: 1, span: 12 },
    equipment: ['sound'],
  },
  {
    room: 'saal-a',
    title: 'Geburtstagsfeier Familie Muster',
    contact: 'Familie Muster',
    email: 'familie@example.org',
    phone: '0176 000 0000',
    category: 'celebration',
    attendees: 40,
    day: 12,
    start: '14:00',
    end: '20:00',
    status: 'approved',
    equipment: ['chairs_tables'],
  },
  {
    room: 'grosser-saal',
    title: 'Repair-Café',
    publicTitle: 'Repair-Café – wir reparieren gemeinsam',
    programme: 'Kaputter Toaster, wackeliger Stuhl, Loch in der Hose? Bringen Sie es mit – wir reparieren gemeinsam. Kaffee gibt es auch.',
    organisation: 'Repair-Initiative Linde',
    contact: 'Klaus Probe',
    email: 'repair@example.org',
    category: 'other',
    attendees: 50,
    day: 5,
    start: '10:00',
    end: '14:00',
    status: 'approved',
  },
  {
    room: 'lehrkueche',
    title: 'Kochtreff international',
    publicTitle: 'Kochtreff international',
    programme: 'Wir kochen Gerichte aus aller Welt und essen zusammen. Bitte bis Montag im Haus anmelden.',
    organisation: 'Willkommensinitiative',
    contact: 'Rania Beispiel',
    email: 'kochen@example.org',
    category: 'integration',
    attendees: 12,
    day: 4,
    start: '17:00',
    end: '20:00',
    status: 'approved',
    repeat: { weeks: 2, span: 16 },
    equipment: ['kitchen', 'dishes'],
  },
  {
    room: 'gruppenraum',
    title: 'Elternabend Kita Sonnenschein',
    organisation: 'Kita Sonnenschein',
    contact: 'Maria Test',
    email: 'kita@example.org',
    category: 'education',
    attendees: 18,
    day: 8,
    start: '18:00',
    end: '20:00',
    status: 'pending',
  },
  {
    room: 'grosser-saal',
    title: 'Hochzeitsfeier',
    contact: 'Paar Exempel',
    email: 'hochzeit@example.org',
    phone: '0151 000 0000',
    category: 'celebration',
    attendees: 90,
    day: 19,
    start: '12:00',
    end: '23:00',
    status: 'pending',
  },
  {
    room: 'saal-a',
    title: 'Vereinsjubiläum',
    organisation: 'Sportverein Linde',
    contact: 'Bernd Muster',
    email: 'sv@example.org',
    category: 'celebration',
    attendees: 55,
    day: 19,
    start: '15:00',
    end: '19:00',
    status: 'pending',
  },
  {
    room: 'gruppenraum',
    title: 'Mieterberatung',
    publicTitle: 'Offene Mieterberatung',
    organisation: 'Mieterinitiative',
    contact: 'Olga Probe',
    email: 'mieter@example.org',
    category: 'social',
    attendees: 10,
    day: 2,
    start: '17:00',
    end: '19:00',
    status: 'approved',
    repeat: { weeks: 1, span: 26 },
  },
];

async function insertRoom(db: Conn, r: DemoRoom, order: number, now: number): Promise<number> {
  const row = await db
    .insertInto('rooms')
    .values({
      slug: r.slug,
      name: r.name,
      description: r.description,
      capacity: r.capacity,
      size_m2: r.size,
      equipment: JSON.stringify(r.equipment),
      accessible: r.accessible ? 1 : 0,
      accessibility_notes: r.accessibilityNotes,
      floor: r.floor,
      buffer_before_min: r.before,
      buffer_after_min: r.after,
      public_bookable: r.publicBookable === false ? 0 : 1,
      active: 1,
      sort_order: order,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function loadDemo(db: DB, clock: Clock): Promise<void> {
  const now = clock().getTime();
  const today = todayIn(clock, ZONE);
  const monday = weekStart(today);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('settings')
      .set({
        house_name: 'Haus der Begegnung',
        reference_prefix: 'HdB',
        street: 'Lindenstraße 12',
        postal_code: '10969',
        city: 'Berlin',
        contact_name: 'Petra Lindner',
        contact_email: 'raumvergabe@hdb-example.org',
        contact_phone: '030 1234567',
        timezone: ZONE,
        federal_state: STATE,
        default_language: 'de',
        about_text:
          'Das Haus der Begegnung ist der Treffpunkt im Lindenviertel: Räume für Gruppen, Kurse, Beratung und Feste – offen für alle Nachbarinnen und Nachbarn.',
        rules_text: RULES,
        privacy_text: PRIVACY,
        imprint_text: IMPRINT,
        opening_hours: JSON.stringify(OPENING),
        lead_time_days: 2,
        horizon_months: 12,
        retention_months: 6,
        updated_at: now,
      })
      .where('id', '=', 1)
      .execute();
    await trx.updateTable('document_versions').set({ text: RULES }).where('kind', '=', 'rules').where('version', '=', 1).execute();
    await trx.updateTable('document_versions').set({ text: PRIVACY }).where('kind', '=', 'privacy').where('version', '=', 1).execute();

    const ids = new Map<string, number>();
    for (const [i, r] of ROOMS.entries()) ids.set(r.slug, await insertRoom(trx, r, (i + 1) * 10, now));
    await trx
      .insertInto('room_parts')
      .values([
        { whole_id: ids.get('grosser-saal')!, part_id: ids.get('saal-a')! },
        { whole_id: ids.get('grosser-saal')!, part_id: ids.get('saal-b')! },
      ])
      .execute();

    // Closures: the state's public holidays for a year, and the house's Christmas break.
    const horizonEnd = addMonths(today, 12);
    const closed = new Map<string, SkipReason>();
    for (const h of holidaysBetween(STATE, monday, horizonEnd)) {
      const start = localToInstant(h.date, '00:00', ZONE);
      const end = localToInstant(addDays(h.date, 1), '00:00', ZONE);
      if (!start.ok || !end.ok) continue;
      await trx
        .insertInto('blocked_times')
        .values({
          room_id: null,
          start_at: start.instant,
          end_at: end.instant,
          reason: 'holiday',
          label: h.name,
          is_public: 1,
          created_by: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      closed.set(h.date, 'holiday');
    }
    const year = Number(today.slice(0, 4)) + (today.slice(5) > '12-27' ? 1 : 0);
    const xmasFrom = `${year}-12-24`;
    const xmasTo = `${year + 1}-01-01`;
    const xs = localToInstant(xmasFrom, '00:00', ZONE);
    const xe = localToInstant(addDays(xmasTo, 1), '00:00', ZONE);
    if (xs.ok && xe.ok) {
      await trx
        .insertInto('blocked_times')
        .values({
          room_id: null,
          start_at: xs.instant,
          end_at: xe.instant,
          reason: 'closure',
          label: 'Weihnachtsschließzeit',
          is_public: 1,
          created_by: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      for (let d = xmasFrom; d <= xmasTo; d = addDays(d, 1)) if (!closed.has(d)) closed.set(d, 'closure');
    }
    // Renovation of the kitchen for two days next month, for one room only.
    const renoDay = addDays(monday, 30);
    const rs = localToInstant(renoDay, '00:00', ZONE);
    const re = localToInstant(addDays(renoDay, 2), '00:00', ZONE);
    if (rs.ok && re.ok) {
      await trx
        .insertInto('blocked_times')
        .values({
          room_id: ids.get('lehrkueche')!,
          start_at: rs.instant,
          end_at: re.instant,
          reason: 'renovation',
          label: 'Neue Herdplatten',
          is_public: 1,
          created_by: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      closed.set(`kitchen:${renoDay}`, 'closure');
      closed.set(`kitchen:${addDays(renoDay, 1)}`, 'closure');
    }

    for (const r of REQUESTS) {
      const first = addDays(monday, r.day);
      const dates: string[] = [];
      const span = r.repeat?.span ?? 1;
      for (let w = 0; w < span; w += r.repeat?.weeks ?? 1) dates.push(addDays(first, w * 7));
      const roomId = ids.get(r.room)!;
      const { hash } = newManageToken();
      const reference = await nextReference(trx, 'HdB', Number(first.slice(0, 4)));
      const req = await trx
        .insertInto('requests')
        .values({
          reference,
          token_hash: hash,
          room_id: roomId,
          title: r.title,
          public_title: r.publicTitle ?? null,
          show_public_title: r.publicTitle ? 1 : 0,
          public_event: r.programme ? 1 : 0,
          public_description: r.programme ?? null,
          public_language: r.programme ? 'de' : null,
          organisation: r.organisation ?? null,
          contact_name: r.contact,
          email: r.email,
          phone: r.phone ?? null,
          category: r.category,
          attendees: r.attendees,
          equipment: JSON.stringify(r.equipment ?? []),
          notes: '',
          language: 'de',
          rules_version: 1,
          privacy_version: 1,
          source: 'public',
          created_by: null,
          repeat_weeks: r.repeat?.weeks ?? null,
          first_date: first,
          last_date: r.repeat ? dates[dates.length - 1] : null,
          start_time: r.start,
          end_time: r.end,
          sequence: 0,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const date of dates) {
        const s = localToInstant(date, r.start, ZONE);
        const e = localToInstant(date, r.end, ZONE);
        if (!s.ok || !e.ok) continue;
        const skip = closed.get(date) ?? (r.room === 'lehrkueche' ? closed.get(`kitchen:${date}`) : undefined);
        await trx
          .insertInto('bookings')
          .values({
            request_id: req.id,
            room_id: roomId,
            local_date: date,
            start_at: s.instant,
            end_at: e.instant,
            status: skip ? 'skipped' : r.status,
            skip_reason: skip ?? null,
            detached: 0,
            decided_by: null,
            decided_at: r.status === 'approved' && !skip ? now - 7 * 86_400_000 : null,
            decision_message: r.status === 'approved' && !skip ? 'Gern, wir freuen uns auf Sie!' : null,
            cancelled_by: null,
            cancelled_at: null,
            sequence: 0,
            created_at: now,
            updated_at: now,
          })
          .execute();
      }
    }

    await trx
      .insertInto('message_templates')
      .values([
        { kind: 'approve', label: 'Zusage', body: 'Gern, wir freuen uns auf Sie! Den Schlüssel erhalten Sie im Büro (Mo–Fr 9–15 Uhr).', sort_order: 1 },
        {
          kind: 'reject',
          label: 'Schon vergeben',
          body: 'Leider ist der Raum zu dieser Zeit schon vergeben. Bitte fragen Sie einen anderen Termin an.',
          sort_order: 1,
        },
        {
          kind: 'reject',
          label: 'Nicht passend',
          body: 'Leider passt Ihre Veranstaltung nicht zur Nutzungsordnung des Hauses. Rufen Sie uns gern an.',
          sort_order: 2,
        },
        {
          kind: 'cancel',
          label: 'Eigenbedarf',
          body: 'Leider brauchen wir den Raum an diesem Termin für eine Veranstaltung des Hauses. Bitte entschuldigen Sie.',
          sort_order: 1,
        },
      ])
      .execute();
  });
}
