// The wizard's catalogues: every locale covers every UI key of en.js and every core code of the C++
// catalogue (handed over by the built core's info()), with the same placeholders; the translator
// formats issues from code + arguments with Intl (numbers, plurals) in the user's language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCore } from '../../dist/index.mjs';
import { LOCALES, loadCatalogue, coreSource, placeholders, createTranslator, resolveLocale } from '../../web/wizard/i18n/index.js';
import { strings as en } from '../../web/wizard/i18n/en.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const core = await loadCore();
const info = core.info();
const source = coreSource(info);
const others = LOCALES.filter((l) => l !== 'en');
const catalogues = Object.fromEntries(await Promise.all(others.map(async (l) => [l, await loadCatalogue(l)])));

// Keys of `want` that `have` lacks, keys `have` has beyond `want`, and keys whose placeholders differ.
function compare(want, have) {
  const missing = Object.keys(want).filter((k) => !Object.hasOwn(have, k));
  const extra = Object.keys(have).filter((k) => !Object.hasOwn(want, k));
  const mismatched = Object.keys(want).filter((k) => Object.hasOwn(have, k))
    .filter((k) => placeholders(want[k]).join() !== placeholders(have[k]).join())
    .map((k) => `${k}: {${placeholders(want[k]).join('}{')}} vs {${placeholders(have[k]).join('}{')}}`);
  return { missing, extra, mismatched };
}

test('eight locales, each loadable', () => {
  assert.deepEqual(LOCALES, ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'ja']);
  for (const l of others) assert.equal(catalogues[l].locale, l);
  // Every locale file is listed (a new file that is not loadable would never be used).
  const files = readdirSync(`${root}web/wizard/i18n`).filter((f) => /^[a-z]{2}\.js$/.test(f)).map((f) => f.slice(0, 2)).sort();
  assert.deepEqual(files, [...LOCALES].sort());
});

for (const l of ['de', 'fr', 'es', 'it', 'nl', 'pt', 'ja']) {
  test(`${l}: every UI string of en.js, with the same placeholders, and nothing else`, () => {
    assert.deepEqual(compare(en, catalogues[l].strings), { missing: [], extra: [], mismatched: [] });
  });

  test(`${l}: every core code (src/core/messages.cpp) and mode/field text (schema.cpp), same placeholders`, () => {
    assert.deepEqual(compare(source, catalogues[l].core), { missing: [], extra: [], mismatched: [] });
  });

  test(`${l}: translated, not copied (at most a few strings equal to the English)`, () => {
    const same = [...Object.keys(en).filter((k) => catalogues[l].strings[k] === en[k]),
      ...Object.keys(source).filter((k) => catalogues[l].core[k] === source[k])];
    // Identifiers, symbols and format hints are the same in every language ("UUID", "true/false", "—").
    const neutral = same.filter((k) => !/^(bad_argument|preview\.noIssues|results\.id|field\.\w+\.format|mapping\.col\.status|preview\.col\.status|mode\.scope\.account|upload\.file|delimiter\.tab|results\.col\.details|preview\.status\.error|mapping\.file|mode\.sampleFile|field\.\w+\.label|mode\.\w+\.title|step\.mode|results\.filter\.problem|results\.pageLabel|lookup_names|memory_bytes|server_said)$/.test(k));
    assert.deepEqual(neutral, []);
    assert.ok(same.length < 18, `${same.length} strings equal to the English: ${same.join(', ')}`);
  });
}

test('the C++ catalogue is complete: every code the core can return has English text', () => {
  for (const [code, text] of Object.entries(info.messages)) {
    assert.ok(text.length > 0, code);
  }
  // Argument kinds name only arguments the template uses.
  for (const [code, kinds] of Object.entries(info.messageArgs)) {
    assert.match(kinds, /^[vngfldom]+$/, code);
    const used = placeholders(info.messages[code]).map(Number);
    assert.ok(Math.max(...used) < kinds.length || kinds.endsWith('m'), `${code}: kinds "${kinds}" vs {${used}}`);
  }
});

test("a 'd' argument (an ISO time from the server) is the date in the user's language", async () => {
  const args = ['ada@example.com', 'directory_identity', 'idn_1', '2026-11-30T08:00:00.000Z'];
  const en = createTranslator(await loadCatalogue('en'), info);
  assert.equal(en.message('email_exists', args),
    'ada@example.com already has an identity (idn_1, created Nov 30, 2026); the server would refuse this row. Leave it out of the file, or remove the existing one first and upload again.');
  const de = createTranslator(catalogues.de, info);
  assert.equal(de.message('email_exists', ['g@example.com', 'directory_invite', 'inv_2', '2026-11-30T08:00:00.000Z']),
    'g@example.com hat bereits eine offene Einladung (inv_2, gesendet am 30.11.2026); der Server würde diese Zeile ablehnen. Lassen Sie sie in der Datei weg oder entfernen Sie zuerst den vorhandenen Eintrag und laden Sie die Datei erneut hoch.');
  // Not a date: shown as given.
  assert.match(en.message('email_exists', ['a@example.com', 'directory_identity', 'idn_1', 'yesterday']), /\(idn_1, created yesterday\)/);
});

test("an 'o' argument (a mode id) is the mode's title, and a refused call's reason is a nested code, both in the user's language", async () => {
  const de = createTranslator(catalogues.de, info);
  assert.equal(de.message('field_not_in_mode', ['password', 'invite']), 'Sieht aus wie Passwort, das Masseneinladung nicht annimmt.');
  assert.equal(de.message('bad_argument', ['not_a_field_of_mode', 'application_id', 'create']),
    '„application_id“ ist kein Feld von Massenanlage. Wählen Sie eines seiner Felder oder Ignorieren.');
  assert.equal(de.message('bad_state', ['upload_first']),
    'Laden Sie eine Datei hoch, bevor Sie die Zuordnung wählen. Dies ist ein Fehler der Seite; laden Sie sie neu und versuchen Sie es erneut.');
  const ja = createTranslator(catalogues.ja, info);
  assert.equal(ja.message('mapping_other_mode', ['invite', 'create']).includes('undefined'), false);
  // A mode the core does not know is shown as given, never as "undefined".
  const en = createTranslator(await loadCatalogue('en'), info);
  assert.equal(en.message('field_not_in_mode', ['password', 'no_such_mode_id']), 'Looks like Password, which no_such_mode_id does not take.');
});

test("a workbook's error detail and the directory check's reason are nested codes, worded in the user's language", () => {
  const de = createTranslator(catalogues.de, info);
  assert.equal(de.message('workbook_damaged', ['workbook_part_missing', 'xl/worksheets/sheet2.xml']),
    'Die Arbeitsmappe kann nicht gelesen werden: der Teil xl/worksheets/sheet2.xml fehlt. Öffnen Sie sie in Excel oder LibreOffice und speichern Sie sie erneut, oder speichern Sie das Blatt als CSV UTF-8, und laden Sie das hoch.');
  // Sizes as numbers of the locale; expat's own words stay as they are.
  assert.ok(de.message('workbook_too_big', ['workbook_entry_too_big', '[Content_Types].xml', '5000', '1000'])
    .startsWith('Die Arbeitsmappe entpackt sich zu mehr, als dieser Import liest ([Content_Types].xml entpackt sich zu 5.000 Bytes, höchstens 1.000 sind erlaubt);'));
  assert.ok(de.message('workbook_damaged', ['workbook_xml_error', 'xl/styles.xml', 'mismatched tag', '3'])
    .startsWith('Die Arbeitsmappe kann nicht gelesen werden: xl/styles.xml: mismatched tag in Zeile 3.'));
  assert.equal(de.message('out_of_memory', ['memory_unzip']),
    'Die Datei braucht mehr Speicher, als diese Seite nutzen darf (zum Entpacken der Arbeitsmappe). Teilen Sie sie in kleinere Dateien oder verwenden Sie das canopy-import-CLI.');
  assert.equal(de.message('bad_state', ['no_workbook_sheet']),
    'Es ist keine Arbeitsmappe geöffnet, oder sie hat kein solches Blatt. Dies ist ein Fehler der Seite; laden Sie sie neu und versuchen Sie es erneut.');
  assert.equal(de.message('directory_timeout', ['30']), 'der Server hat nicht innerhalb von 30 s geantwortet');
  assert.equal(de.t('preview.directory.failed', { reason: de.message('directory_no_answer', []) }),
    'Die Verzeichnisprüfung war nicht möglich (der Server hat nicht geantwortet). Zeilen werden nicht gesperrt; der Server lehnt bereits vorhandene E-Mail-Adressen weiterhin ab.');
  const ja = createTranslator(catalogues.ja, info);
  assert.equal(ja.message('workbook_xml_error', ['xl/styles.xml', 'mismatched tag', '3']), 'xl/styles.xml: 3 行目で mismatched tag');
});

test('a result row of our own code is worded from its arguments; a server code keeps the server words', () => {
  const de = createTranslator(catalogues.de, info);
  const unconfirmed = de.outcome({ code: 'unconfirmed', args: ['6', 'cancelled_after', 'last_http', '503'], message: 'English' });
  assert.ok(unconfirmed.includes('(Versuche: 6; zuletzt: der letzte erhielt HTTP 503; der Import wurde vor dem nächsten Versuch abgebrochen)'), unconfirmed);
  assert.equal(de.outcome({ code: 'http_error', args: ['413', 'server_said', 'At most 200 rows.'], message: 'English' }),
    'Der Server hat den Stapel mit HTTP 413 abgelehnt: At most 200 rows.');
  assert.equal(de.outcome({ code: 'http_error', args: ['418', 'no_message'], message: 'English' }),
    'Der Server hat den Stapel mit HTTP 418 abgelehnt: keine Nachricht');
  assert.ok(de.outcome({ code: 'bad_response', args: ['response_count', '0', '3'], message: 'English' })
    .startsWith('Die Antwort des Servers konnte nicht gelesen werden (0 Ergebnisse für 3 gesendete Zeilen)'));
  // A server's own code with its message: shown as the server said it.
  assert.equal(de.outcome({ code: 'email_conflict', message: 'Already in the environment.' }), 'Already in the environment.');
  assert.equal(de.message('wait_server_error', ['500']), 'Serverfehler (500)');
});

test('every UI key the wizard uses exists in en.js', () => {
  const files = ['wizard.js', 'dom.js', 'mount.js', ...readdirSync(`${root}web/wizard/steps`).map((f) => `steps/${f}`)];
  const used = new Set();
  for (const f of files) {
    const text = readFileSync(`${root}web/wizard/${f}`, 'utf8');
    for (const m of text.matchAll(/\bt\('([a-z]+\.[\w.]+)'/g)) used.add(m[1]);
  }
  assert.ok(used.size > 100, `found ${used.size} keys`);
  assert.deepEqual([...used].filter((k) => !Object.hasOwn(en, k)), []);
});

test('locale resolution: a region falls back to its language, an unknown language to English', () => {
  assert.equal(resolveLocale('de-CH'), 'de');
  assert.equal(resolveLocale('pt_BR'), 'pt');
  assert.equal(resolveLocale('JA'), 'ja');
  assert.equal(resolveLocale('sv-SE'), 'en');
});

test('UI strings: numbers and plurals through Intl', () => {
  const de = createTranslator(catalogues.de, info);
  assert.equal(de.t('preview.next', { n: 1 }), '1 Zeile importieren');
  assert.equal(de.t('preview.next', { n: 10000 }), '10.000 Zeilen importieren');
  assert.equal(de.t('submit.rows', { done: 1200, total: 10000 }), '1.200 von 10.000 Zeilen');
  const fr = createTranslator(catalogues.fr, info);
  assert.equal(fr.t('preview.next', { n: 1 }), 'Importer 1 ligne');
  assert.equal(fr.t('preview.next', { n: 2500 }), 'Importer 2\u202f500 lignes');
  const ja = createTranslator(catalogues.ja, info);
  assert.equal(ja.t('preview.next', { n: 1 }), '1 行をインポート');
  assert.equal(ja.t('preview.next', { n: 1234 }), '1,234 行をインポート');
  const english = createTranslator({ locale: 'en', strings: en, core: {} }, info);
  assert.equal(english.t('preview.next', { n: 1 }), 'Import 1 row');
  assert.equal(english.t('preview.next', { n: 3 }), 'Import 3 rows');
  assert.equal(english.t('results.unconfirmedHint', { n: 1 }).split('.')[0], '1 row was not confirmed by the server');
  // A missing parameter stays visible rather than vanishing.
  assert.equal(english.t('wizard.stepOf', { n: 2 }), 'Step 2 of {total}');
});

// Issues straight from the core: code + arguments, formatted here.
async function issuesOf(csv, mode, lookups = { state: 'not_given' }) {
  const s = core.createSession();
  try {
    await s.load(new TextEncoder().encode(csv));
    s.setMode(mode);
    s.setLookups(lookups);
    s.validate();
    return s.rows({ limit: 100 }).rows.flatMap((r) => r.issues);
  } finally {
    s.dispose();
  }
}

test('core issues carry code + arguments (field names, not labels); the page formats them per locale', async () => {
  const issues = await issuesOf('email,first_name,last_name\n ada@example.com ,Ada,\nbob@localhost,Bob,Builder\n"a\tb@example.com",C,D\n', 'invite');
  const trimmed = issues.find((i) => i.code === 'whitespace_trimmed');
  assert.deepEqual(trimmed.args, ['email']);
  assert.equal(trimmed.message, 'Spaces around the email value were removed.');
  const missing = issues.find((i) => i.code === 'name_missing');
  assert.deepEqual(missing.args, ['last_name']);
  const dot = issues.find((i) => i.code === 'email_invalid' && i.args[0] === 'bob@localhost');
  assert.deepEqual(dot.args, ['bob@localhost', 'email_domain_no_dot']);
  // A value quoted in a message is one line: a tab shows as ⇥ (src/core/messages.h, kMaxArgBytes).
  const tab = issues.find((i) => i.code === 'email_invalid' && i.args[0].includes('\u21E5'));
  assert.deepEqual(tab.args, ['a\u21E5b@example.com', 'email_local_char', 'char_tab']);

  const de = createTranslator(catalogues.de, info);
  assert.equal(de.issue(trimmed), 'Leerzeichen um den Wert von E-Mail wurden entfernt.');
  assert.equal(de.issue(missing), 'Kein Nachname angegeben; die eingeladene Person kann ihn bei der Annahme ergänzen.');
  assert.equal(de.issue(dot), '„bob@localhost“ ist keine gültige E-Mail-Adresse: die Domain braucht einen Punkt.');
  assert.equal(de.issue(tab), '„a\u21E5b@example.com“ ist keine gültige E-Mail-Adresse: der Teil vor dem @ enthält einen Tabulator.');
  const fr = createTranslator(catalogues.fr, info);
  assert.equal(fr.issue(missing), 'Aucun nom indiqué ; la personne invitée pourra le saisir en acceptant.');
  const ja = createTranslator(catalogues.ja, info);
  assert.equal(ja.issue(dot), '「bob@localhost」は正しいメールアドレスではありません: ドメインにはドットが必要です。');
  // English from the core's own catalogue, the same text the CLI prints.
  const english = createTranslator({ locale: 'en', strings: en, core: {} }, info);
  assert.equal(english.issue(tab), '"a\u21E5b@example.com" is not a valid email address: the part before @ contains a tab.');
  assert.equal(english.issue(missing), 'No last name given; the invitee can fill it in when accepting.');
});

test('numbers in core messages are formatted for the locale; line numbers stay numbers', async () => {
  const issues = await issuesOf('email,first_name,last_name\nada@example.com,Ada,L\nx@example.com,X,Y\ny@example.com,X,Y\nADA@example.com,A,B\n', 'create');
  const dup = issues.find((i) => i.code === 'duplicate_email');
  assert.deepEqual(dup.args, ['ADA@example.com', '2']);
  const de = createTranslator(catalogues.de, info);
  assert.equal(de.issue(dup), 'Die E-Mail-Adresse ADA@example.com steht bereits in Zeile 2 (Groß- und Kleinschreibung zählt nicht). Entfernen Sie eine der beiden Zeilen.');
  // A fatal error: cause.code + cause.args.
  const s = core.createSession({ maxRows: 3 });
  let err;
  try { await s.load(new TextEncoder().encode('email\n' + 'a@b.co\n'.repeat(12345))); } catch (e) { err = e; } finally { s.dispose(); }
  assert.equal(err.cause.code, 'too_many_rows');
  assert.deepEqual(err.cause.args, ['12345']);
  assert.match(err.message, /^The file has 12,345 data rows/);
  assert.match(de.error(err), /^Die Datei hat 12\.345 Datenzeilen; die Grenze liegt bei 10\.000\./);
  assert.match(createTranslator(catalogues.ja, info).error(err), /^ファイルには 12,345 行のデータ行があります。/);
});

test('a masked secret stays masked in every language', async () => {
  const issues = await issuesOf('email,first_name,last_name,password\nada@example.com,Ada,L,"hunter22"x\n', 'create');
  const q = issues.find((i) => i.code === 'malformed_quotes');
  assert.deepEqual(q.args, ['masked_value', 'password']);
  for (const l of others) {
    const text = createTranslator(catalogues[l], info).issue(q);
    assert.doesNotMatch(text, /hunter/, l);
    assert.match(text, new RegExp(catalogues[l].core['field.password.label'], 'i'), l);
  }
});

test('a suggestion from the contents is written in the user\'s language, figures and label included', () => {
  const s = core.createSession();
  let csv = 'Vorname,Nachname,Kontakt\n';
  for (let i = 0; i < 1200; i += 1) csv += `P${i},L${i},${i % 100 === 0 ? 'unbekannt' : `p${i}@example.com`}\n`;
  s.loadText(csv);
  const column = s.setMode('create').columns[2];
  s.dispose();
  // The first 200 rows are checked: rows 0 and 100 hold no email.
  assert.deepEqual(column.suggestion.args, ['email', '198', '200']);
  assert.equal(column.suggestion.message,
    'Looks like Email: 198 of the 200 values checked are valid email addresses. Map this column to Email if it holds the people\'s emails.');
  const de = createTranslator(catalogues.de, info);
  assert.equal(de.message(column.suggestion.code, column.suggestion.args),
    'Sieht nach E-Mail aus: 198 von 200 geprüften Werten sind gültige E-Mail-Adressen. Ordnen Sie diese Spalte E-Mail zu, wenn sie die E-Mail-Adressen der Personen enthält.');
  const ja = createTranslator(catalogues.ja, info);
  assert.match(ja.message(column.suggestion.code, column.suggestion.args), /確認した200件のうち198件/);
  assert.equal(de.t('mapping.confirmSuggestion', { label: 'E-Mail' }), 'E-Mail zuordnen');
});
