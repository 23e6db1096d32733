import { fileURLToPath } from "node:url"

/**
 * Where `npm run build` puts the dashboard: `dist/dashboard`, next to the compiled `dist/src`.
 * This module sits at the top of src/, as the bundled bin (`dist/src/bin.js`) that carries it
 * does, so the path is the same from the bundle and from tsc's module-per-file output.
 */
export const DASHBOARD_DIR = fileURLToPath(new URL("../dashboard/", import.meta.url))
