import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DOCS_DIR = fileURLToPath(new URL('../../docs/', import.meta.url));
