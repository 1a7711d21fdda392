// Compiled with `tsc --noEmit -p tests/types` in npm test: the hand-written index.d.ts must accept
// the documented usage and reject misuse (the @ts-expect-error lines fail the build if they compile).
import { checkDirectory, loadCore, submitAll, workbookSignature, type CoreError, type PreviewRow, type SheetInfo, type SkippedLine, type Workbook } from 'canopy-csv-import';
import { mountImportWizard, type ImportSummary } from 'canopy-csv-import/wizard';

// The embedding example of docs/embedding.md, as a front-end developer writes it.
function embed(host: HTMLElement, getToken: () => Promise<string>): void {
  const wizard = mountImportWizard(host, {
    apiBaseUrl: '',
    coreBaseUrl: '/dist/',
    accountId: 'acc_demo',
    environmentId: 'env_dev',
    surface: 'access-control',
    authHeader: async () => `Bearer ${await getToken()}`,
    onComplete: (summary: ImportSummary) => void summary.counts.created,
    onCancel: () => {},
  });
  void wizard.open();
  // @ts-expect-error: "settings" is not a surface
  mountImportWizard(host, { accountId: 'a', surface: 'settings', authHeader: async () => '' });
}
void embed;

async function example(file: Uint8Array): Promise<number> {
  const core = await loadCore({ baseUrl: '/dist/' });
  const session = core.createSession();
  try {
    const summary = await session.load(file, { delimiter: 'semicolon' });
    if (summary.encodingUnsure) void summary.encodingChoices.map((c) => c.encoding + c.examples.join() + c.score + c.language);
    const again = await session.loadFile(new Blob(['email\n']), { encoding: 'windows-1252' });
    void again.rows;
    // The header/footer rule and its undo: the skipped lines are in the summary.
    const layout = session.loadText('Report\nemail,name\na@b.c,A\n', { headerLine: 1, keepFooters: true });
    const skipped: SkippedLine[] = [...layout.preamble, ...layout.footer];
    skipped.forEach((l) => l.text.length + l.line + Number(l.sep));
    void layout.headerLine.toFixed();
    // @ts-expect-error: headerLine is a line number
    session.load(file, { headerLine: 'two' });
    // A workbook: opened (the reader loads lazily), a sheet chosen by name or index, loaded as a CSV.
    if (workbookSignature(file) === 'zip') {
      const book: Workbook = await core.openWorkbook(file, { maxBytes: 0 });
      const sheets: SheetInfo[] = book.sheets.filter((s) => !s.hidden && s.rows > 0);
      const sheet = session.loadSheet(book, book.choice >= 0 ? book.choice : sheets[0].name, { headerLine: 1 });
      const format: 'csv' | 'xlsx' | 'ods' = sheet.format;
      void [format, sheet.sheet?.length, book.sheetCsv(0).byteLength, book.indexOf('Employees')];
      book.close();
    }
    void core.warmUp().ms;
    const mapping = session.setMode('create');
    if (mapping.missing.length) session.setColumn(0, 'email');
    session.setLookups({ state: 'loaded', roles: [], nodes: [], clients: ['dashboard-web'] });
    const stats = session.validate();
    const page: PreviewRow[] = session.rows({ offset: 0, limit: 20, filter: 'errors' }).rows;
    page.forEach((r) => r.issues.map((i) => i.code));
    const checked = await checkDirectory(session, { apiBaseUrl: '/', authHeader: () => 'Bearer t', scope: { environmentId: 'env_dev' } });
    if (checked.directory.state === 'failed') void checked.directory.reason.length;
    if (checked.directory.state === 'failed') void [checked.directory.reasonCode.length, checked.directory.reasonArgs.join()];
    void session.directoryResponse({ status: 0, timeoutS: 30 }).directory.reasonArgs;
    const ask = session.directoryNext({ environmentId: 'env_dev' });
    if (ask.kind === 'send') session.directoryResponse({ status: 200, body: '{"items":[]}' }).stats.errors.toFixed();
    // @ts-expect-error: a done directory action has no body
    if (ask.kind === 'done') ask.body.length;
    session.planSubmit({ accountId: 'acc_demo', environmentId: 'env_dev' });
    const progress = await submitAll(session, { apiBaseUrl: '/', authHeader: () => 'Bearer t' });
    const action = session.next(performance.now());
    if (action.kind === 'send') action.idempotencyKey.toUpperCase();
    // @ts-expect-error: there is no "upsert" mode
    session.setMode('upsert');
    // @ts-expect-error: a wait action has no body
    if (action.kind === 'wait') action.body.length;
    return summary.rows + stats.errors + progress.succeeded;
  } catch (e) {
    const err = e as CoreError;
    return err.cause.code.length;
  } finally {
    session.dispose();
  }
}
void example;

// <canopy-import-wizard> as docs/embedding.md uses it: attributes as properties, callbacks, typed events.
import 'canopy-csv-import/element';
import { ImportWizardElement, defineImportWizardElement, LOCALES, type ImportLocale } from 'canopy-csv-import/wizard';

function element(getToken: () => Promise<string>): void {
  const el = document.querySelector('canopy-import-wizard');
  if (!el) return;
  const typed: ImportWizardElement = el;
  typed.surface = 'tenant';
  typed.accountId = 'acc_demo';
  typed.locale = 'de-CH';
  typed.theme = 'dark';
  typed.authHeader = async () => `Bearer ${await getToken()}`;
  typed.addEventListener('cnp-import:complete', (e) => void e.detail.counts.invited);
  typed.addEventListener('cnp-import:step', (e) => void e.detail.step.toUpperCase());
  void typed.open();
  const made = document.createElement('canopy-import-wizard');
  made.environmentId = 'env_dev';
  const first: ImportLocale = LOCALES[0];
  void first;
  defineImportWizardElement('my-import-wizard');
  // @ts-expect-error: "sepia" is not a theme
  typed.theme = 'sepia';
  // @ts-expect-error: the event's detail has no "rows"
  typed.addEventListener('cnp-import:complete', (e) => void e.detail.rows);
}
void element;
