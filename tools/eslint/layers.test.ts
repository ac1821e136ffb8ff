import { RuleTester } from 'eslint';
import path from 'node:path';
import { describe, it } from 'vitest';
import { layersRule } from './layers.js';

// Run the boundary rule on virtual files at real paths; each invalid case must be reported.
const cwd = path.resolve(__dirname, '../..');
const at = (rel: string) => path.join(cwd, rel);
RuleTester.describe = describe;
RuleTester.it = it;
const tester = new RuleTester({ languageOptions: { ecmaVersion: 2022, sourceType: 'module' } });

tester.run('qiview/layers', layersRule, {
  valid: [
    { code: "import { x } from '../../core/common/dicom/parse';", filename: at('renderer/viewer/a.ts') },
    { code: "import React from 'react';", filename: at('renderer/app.tsx') },
    { code: "import fs from 'node:fs';", filename: at('core/node/library/store.ts') },
    { code: "import { Volume } from '@qiview/sdk';", filename: at('plugins/example/index.ts') },
    { code: "import { step } from './steps/one';", filename: at('plugins/example/index.ts') },
    { code: "import { ipcRenderer } from 'electron';", filename: at('electron/preload/index.ts') },
    { code: "import fs from 'node:fs';", filename: at('renderer/viewer/thing.test.ts') },
  ],
  invalid: [
    { code: "import fs from 'node:fs';", filename: at('renderer/viewer/a.ts'), errors: 1 },
    { code: "import { ipcRenderer } from 'electron';", filename: at('renderer/app.tsx'), errors: 1 },
    {
      code: "import x from '../../core/node/library/sqlite';",
      filename: at('renderer/viewer/a.ts'),
      errors: 1,
    },
    { code: "import React from 'react';", filename: at('core/common/x.ts'), errors: 1 },
    { code: "import fs from 'fs';", filename: at('core/common/x.ts'), errors: 1 },
    {
      code: "import { p } from '../../core/common/dicom/parse';",
      filename: at('plugins/example/index.ts'),
      errors: 1,
    },
    {
      code: "import { q } from '../lung-fibrosis/index';",
      filename: at('plugins/example/index.ts'),
      errors: 1,
    },
    { code: "import fs from 'node:fs';", filename: at('plugins/example/index.ts'), errors: 1 },
    { code: "import lodash from 'lodash';", filename: at('plugins/example/index.ts'), errors: 1 },
    { code: "import Database from 'better-sqlite3';", filename: at('core/browser/x.ts'), errors: 1 },
    { code: "import React from 'react';", filename: at('core/common/x.test.ts'), errors: 0 },
  ].filter((c) => c.errors > 0),
});
