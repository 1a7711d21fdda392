// Types of web/wizard/element.js: declared with the rest of the wizard's in mount.d.ts.
export { ImportWizardElement, defineImportWizardElement, TAG_NAME } from './mount.js';
