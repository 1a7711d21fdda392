// The package's "canopy-csv-import/element" entry: importing it defines <canopy-import-wizard> (when
// there is a DOM; on a server it does nothing). This is the package's one module with a side effect.
import { defineImportWizardElement } from './element.js';

defineImportWizardElement();
