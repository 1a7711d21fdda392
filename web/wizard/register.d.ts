// web/wizard/register.js (the package's "./element" entry) defines <canopy-import-wizard>; it exports nothing.
// The element's type: ImportWizardElement in mount.d.ts (and HTMLElementTagNameMap['canopy-import-wizard']).
import './mount.js';
export {};
